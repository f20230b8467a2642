/**
 * Read-only facts about one stream: length and bounds, every consumer group (pending, lag,
 * consumers and their idle times), pending entries idle past a threshold, and "ghost" pending
 * entries whose ids are gone from the stream. Bounded: samples of at most `sample` entries.
 */
import type { Redis } from 'ioredis';
import type { KeyRef } from './key-name.js';

export interface PendingEntry {
  id: string;
  /** UTF-8 text of the consumer name; `consumerRaw` holds its bytes (escape with displayKey) */
  consumer: string;
  consumerRaw: Buffer;
  idleMs: number;
  deliveries: number;
}

export interface GroupFacts {
  /** UTF-8 text of the group name; `raw` holds its exact bytes, for commands and displayKey */
  name: string;
  raw: Buffer;
  pending: number;
  /** entries not delivered to the group yet; null when Redis cannot tell */
  lag: number | null;
  lastDeliveredId: string;
  consumers: { name: string; raw: Buffer; pending: number; idleMs: number }[];
  /** pending entries idle past the pending-age threshold (a sample) */
  stale: PendingEntry[];
  /** sampled pending ids that no longer exist in the stream */
  ghosts: string[];
  /** the oldest pending entry (lowest id): its id and how long since it was last delivered; null without pending entries */
  oldestPending: { id: string; idleMs: number } | null;
}

export interface StreamFacts {
  key: KeyRef;
  length: number;
  firstId: string | null;
  lastId: string | null;
  groups: GroupFacts[];
}

function pairs(flat: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) o[String(flat[i])] = flat[i + 1];
  return o;
}

function idOf(entry: unknown): string | null {
  return Array.isArray(entry) && entry.length > 0 ? String(entry[0]) : null;
}

/** Stream ids compare as (ms, seq) pairs. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

function bytes(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(String(v ?? ''));
}

function text(v: unknown): string {
  return Buffer.isBuffer(v) ? v.toString() : String(v);
}

export async function inspectStream(redis: Redis, key: KeyRef, opts: { pendingAgeMs: number; sample?: number }): Promise<StreamFacts> {
  const sample = opts.sample ?? 20;
  // group and consumer names are binary-safe too: read them as Buffers, pass them back as such
  const call = (cmd: string, ...args: (string | number | Buffer)[]) => redis.callBuffer(cmd, ...args) as Promise<unknown>;
  const info = pairs((await redis.xinfo('STREAM', key.raw)) as unknown[]);
  const facts: StreamFacts = {
    key,
    length: Number(info.length ?? 0),
    firstId: idOf(info['first-entry']),
    lastId: idOf(info['last-entry']),
    groups: [],
  };
  const groups = ((await call('XINFO', 'GROUPS', key.raw)) as unknown[][]).map(pairs);
  for (const g of groups) {
    const raw = bytes(g.name);
    const consumers = ((await call('XINFO', 'CONSUMERS', key.raw, raw)) as unknown[][]).map(pairs);
    const pending = Number(g.pending ?? 0);
    let stale: PendingEntry[] = [];
    let ghosts: string[] = [];
    let oldestPending: GroupFacts['oldestPending'] = null;
    if (pending > 0 && sample > 0) {
      const toEntry = (p: unknown[]): PendingEntry => ({ id: text(p[0]), consumer: text(p[1]), consumerRaw: bytes(p[1]), idleMs: Number(p[2]), deliveries: Number(p[3]) });
      stale = ((await call('XPENDING', key.raw, raw, 'IDLE', opts.pendingAgeMs, '-', '+', sample)) as unknown[][]).map(toEntry);
      const oldest = ((await call('XPENDING', key.raw, raw, '-', '+', sample)) as unknown[][]).map(toEntry);
      if (oldest[0]) oldestPending = { id: oldest[0].id, idleMs: oldest[0].idleMs };
      const p = redis.pipeline();
      for (const e of oldest) p.xrange(key.raw, e.id, e.id);
      const found = (await p.exec()) ?? [];
      ghosts = oldest.filter((_, i) => Array.isArray(found[i]?.[1]) && (found[i][1] as unknown[]).length === 0).map((e) => e.id);
    }
    facts.groups.push({
      name: raw.toString(),
      raw,
      pending,
      lag: g.lag === null || g.lag === undefined ? null : Number(g.lag),
      lastDeliveredId: text(g['last-delivered-id'] ?? '0-0'),
      consumers: consumers.map((c) => ({ name: text(c.name), raw: bytes(c.name), pending: Number(c.pending), idleMs: Number(c.idle) })),
      stale,
      ghosts,
      oldestPending,
    });
  }
  return facts;
}
