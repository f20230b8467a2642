/**
 * The server's error counters (`INFO errorstats`: errorstat_WRONGTYPE, errorstat_NOGROUP,
 * errorstat_OOM, ...) read for `--watch`'s deltas and served as redis_exporter's
 * `redis_errors_total{err}`. On a cluster every master is read on its own connection (names
 * and labels then carry the node). Read-only; a refused INFO reads as no counters.
 */
import type { Redis } from 'ioredis';
import type { Metric } from '../audit-types.js';
import { nodeUrl } from '../cluster-audit.js';

export interface ErrorCounters {
  /** `errorstat_WRONGTYPE` (or `errorstat_WRONGTYPE@host:port` on a cluster) → count */
  counters: Record<string, number>;
  /** redis_errors_total{err} (and node on a cluster) */
  metrics: Metric[];
}

/** `errorstat_X:count=N` lines of INFO errorstats → { X: N }. */
export function parseErrorstats(info: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^errorstat_([^:\s]+):count=(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

export async function readErrorstats(redis: Redis): Promise<Record<string, number>> {
  return parseErrorstats(await redis.info('errorstats').catch(() => ''));
}

/** Every master's (or the one server's) error counters; `connectTo` opens a read-only connection. */
export async function readErrorCounters(url: string, nodes: readonly string[] | undefined, connectTo: (url: string) => Promise<Redis>): Promise<ErrorCounters> {
  const targets = nodes?.length ? nodes.map((name) => ({ name, url: nodeUrl(url, hostPort(name)) })) : [{ name: null, url }];
  const out: ErrorCounters = { counters: {}, metrics: [] };
  for (const t of targets) {
    const redis = await connectTo(t.url);
    try {
      for (const [err, count] of Object.entries(await readErrorstats(redis))) {
        out.counters[`errorstat_${err}${t.name ? `@${t.name}` : ''}`] = count;
        out.metrics.push({ name: 'redis_errors_total', labels: { err, ...(t.name ? { node: t.name } : {}) }, value: count });
      }
    } finally {
      redis.disconnect();
    }
  }
  return out;
}

function hostPort(name: string): { host: string; port: number; name: string } {
  const i = name.lastIndexOf(':');
  return { host: name.slice(0, i), port: Number(name.slice(i + 1)), name };
}
