/**
 * Walks a keyspace with SCAN (never KEYS), bounded by `maxKeys`: one SCAN pass per core type
 * (`SCAN ... TYPE t`, so no TYPE command per key: the server filters while iterating), and,
 * when asked, each key's PTTL in a pipelined batch per SCAN reply, the next SCAN in flight
 * meanwhile. Binary-safe: keys are Buffers. Each key goes to `visit` (which aggregates and says
 * whether to keep it); only kept keys are returned, so a million keys need not be held. Keys of
 * module types (ReJSON-RL...) are not visited; a key whose type changes between two passes may be
 * visited twice or not at all (a live keyspace moves anyway).
 */
import type { Redis } from 'ioredis';
import { mastersOf } from '../redis/cluster-admin.js';
import { keyRef, type KeyRef } from './key-name.js';

export interface ScannedKey extends KeyRef {
  type: string;
}

/** One key as the scan saw it: bytes, latin1 text (lossless), type, PTTL (-1 none, -2 gone, null unread). */
export interface VisitedKey {
  raw: Buffer;
  text: string;
  type: string;
  pttl: number | null;
}

export interface ScanOptions {
  match?: string;
  maxKeys: number;
  count?: number;
  /** read PTTL too (one more command per key) */
  withTtl?: boolean;
  /** sees every key; true keeps it in `keys` (default: keep every key) */
  visit?: (k: VisitedKey) => boolean;
}

export interface ScanResult {
  /** the kept keys */
  keys: ScannedKey[];
  /** every key visited */
  scanned: number;
  /** true when maxKeys stopped the walk before the end */
  truncated: boolean;
}

type ScanBuffer = (...a: (string | number)[]) => Promise<[Buffer, Buffer[]]>;

/** The core types, one SCAN pass each (SCAN's TYPE option, Redis 6+) */
export const SCANNED_TYPES = ['string', 'hash', 'list', 'set', 'zset', 'stream'] as const;

export async function scanKeyspace(redis: Redis, opts: ScanOptions): Promise<ScanResult> {
  const out: ScanResult = { keys: [], scanned: 0, truncated: false };
  // a cluster client: every master's keyspace (a SCAN cursor belongs to one node)
  for (const node of await mastersOf(redis)) {
    for (const type of SCANNED_TYPES) {
      if (out.truncated) break;
      await scanNode(node, type, opts, out);
    }
  }
  return out;
}

/** PTTL of one batch (when asked), then each key visited. */
async function visitBatch(redis: Redis, type: string, batch: Buffer[], opts: ScanOptions, out: ScanResult): Promise<void> {
  if (batch.length === 0) return;
  let ttls: unknown[] = [];
  if (opts.withTtl) {
    const p = redis.pipeline();
    for (const k of batch) p.call('PTTL', k);
    ttls = ((await p.exec()) ?? []).map(([err, v]) => (err ? -2 : v));
  }
  batch.forEach((raw, j) => {
    const pttl = opts.withTtl ? Number(ttls[j] ?? -2) : null;
    const keep = opts.visit ? opts.visit({ raw, text: raw.toString('latin1'), type, pttl }) : true;
    if (keep) out.keys.push({ ...keyRef(raw), type });
  });
}

/** SCANs one node for keys of one type, visiting each batch while the next SCAN is in flight. */
async function scanNode(redis: Redis, type: string, opts: ScanOptions, out: ScanResult): Promise<void> {
  const scan = (cursor: string) => {
    const args: (string | number)[] = [cursor, 'COUNT', opts.count ?? 1000, 'TYPE', type];
    if (opts.match) args.push('MATCH', opts.match);
    return (redis as unknown as { scanBuffer: ScanBuffer }).scanBuffer(...args);
  };
  let pending: Buffer[] = [];
  let next: Promise<[Buffer, Buffer[]]> | null = scan('0');
  while (next) {
    const [[cursor, batch]]: [[Buffer, Buffer[]], void] = await Promise.all([next, visitBatch(redis, type, pending, opts, out)]);
    pending = [];
    for (const k of batch) {
      if (out.scanned >= opts.maxKeys) {
        out.truncated = true;
        break;
      }
      pending.push(k);
      out.scanned++;
    }
    next = cursor.toString() !== '0' && !out.truncated ? scan(cursor.toString()) : null;
  }
  await visitBatch(redis, type, pending, opts, out);
}
