/**
 * Server-wide facts, read-only: the eviction policy (CONFIG GET, or INFO memory's
 * `maxmemory_policy` when CONFIG is refused) and INFO errorstats (error replies by prefix since
 * the last restart or CONFIG RESETSTAT).
 */
import type { Redis } from 'ioredis';

export interface ServerFacts {
  /** null when neither CONFIG GET nor INFO memory could be read */
  maxmemoryPolicy: string | null;
  /** where the policy was read */
  maxmemoryPolicySource: 'config' | 'info' | null;
  /** the CONFIG GET error, when refused */
  configError: string | null;
  /** error replies by prefix (`WRONGTYPE`, `NOGROUP`, `OOM`, ...); null when INFO was refused */
  errorStats: Record<string, number> | null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `errorstat_WRONGTYPE:count=3` lines → { WRONGTYPE: 3 } */
export function parseErrorStats(info: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^errorstat_([^:\s]+):count=(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

export async function readServerFacts(redis: Redis): Promise<ServerFacts> {
  const f: ServerFacts = { maxmemoryPolicy: null, maxmemoryPolicySource: null, configError: null, errorStats: null };
  try {
    const r = (await redis.config('GET', 'maxmemory-policy')) as string[];
    f.maxmemoryPolicy = r[1] ?? null;
    f.maxmemoryPolicySource = f.maxmemoryPolicy === null ? null : 'config';
  } catch (err) {
    f.configError = errorText(err);
    const memory = await redis.info('memory').catch(() => '');
    const policy = /^maxmemory_policy:(\S+)/m.exec(memory)?.[1];
    if (policy) {
      f.maxmemoryPolicy = policy;
      f.maxmemoryPolicySource = 'info';
    }
  }
  const errors = await redis.info('errorstats').catch(() => null);
  if (errors !== null) f.errorStats = parseErrorStats(errors);
  return f;
}
