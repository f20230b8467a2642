/**
 * Walks a keyspace with SCAN (never KEYS), bounded by `maxKeys`, and reads each key's TYPE (and,
 * when asked, its PTTL) in pipelined batches, one batch per SCAN reply, the next SCAN in flight
 * meanwhile. Binary-safe: keys are Buffers. Each key goes to `visit` (which aggregates and says
 * whether to keep it); only kept keys are returned, so a million keys need not be held.
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

export async function scanKeyspace(redis: Redis, opts: ScanOptions): Promise<ScanResult> {
  const out: ScanResult = { keys: [], scanned: 0, truncated: false };
  // a cluster client: every master's keyspace (a SCAN cursor belongs to one node)
  for (const node of await mastersOf(redis)) {
    if (out.truncated) break;
    await scanNode(node, opts, out);
  }
  return out;
}

/** TYPE (and PTTL) of one batch, then each key visited. */
async function visitBatch(redis: Redis, batch: Buffer[], opts: ScanOptions, out: ScanResult): Promise<void> {
  if (batch.length === 0) return;
  const p = redis.pipeline();
  for (const k of batch) {
    p.type(k);
    if (opts.withTtl) p.pttl(k);
  }
  const res = (await p.exec()) ?? [];
  const step = opts.withTtl ? 2 : 1;
  batch.forEach((raw, j) => {
    const type = String(res[j * step]?.[1] ?? 'none');
    const pttl = opts.withTtl ? Number(res[j * step + 1]?.[1] ?? -2) : null;
    const keep = opts.visit ? opts.visit({ raw, text: raw.toString('latin1'), type, pttl }) : true;
    if (keep) out.keys.push({ ...keyRef(raw), type });
  });
}

/** SCANs one node, visiting each batch while the next SCAN is in flight. */
async function scanNode(redis: Redis, opts: ScanOptions, out: ScanResult): Promise<void> {
  const scan = (cursor: string) => {
    const args: (string | number)[] = [cursor, 'COUNT', opts.count ?? 1000];
    if (opts.match) args.push('MATCH', opts.match);
    return (redis as unknown as { scanBuffer: ScanBuffer }).scanBuffer(...args);
  };
  let pending: Buffer[] = [];
  let next: Promise<[Buffer, Buffer[]]> | null = scan('0');
  while (next) {
    const [[cursor, batch]]: [[Buffer, Buffer[]], void] = await Promise.all([next, visitBatch(redis, pending, opts, out)]);
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
  await visitBatch(redis, pending, opts, out);
}
