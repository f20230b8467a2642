/**
 * Walks a keyspace with SCAN (never KEYS), bounded by `maxKeys`, and reads each key's TYPE in
 * pipelined batches. Binary-safe: keys are kept as Buffers.
 */
import type { Redis } from 'ioredis';
import { mastersOf } from '../redis/cluster-admin.js';
import { keyRef, type KeyRef } from './key-name.js';

export interface ScannedKey extends KeyRef {
  type: string;
}

export interface ScanResult {
  keys: ScannedKey[];
  /** true when maxKeys stopped the walk before the end */
  truncated: boolean;
}

export async function scanKeyspace(redis: Redis, opts: { match?: string; maxKeys: number; count?: number }): Promise<ScanResult> {
  const raws: Buffer[] = [];
  let truncated = false;
  // a cluster client: every master's keyspace (a SCAN cursor belongs to one node)
  for (const node of await mastersOf(redis)) {
    if (truncated) break;
    truncated = await scanNode(node, opts, raws);
  }
  const keys: ScannedKey[] = [];
  for (let i = 0; i < raws.length; i += 1000) {
    const p = redis.pipeline();
    const slice = raws.slice(i, i + 1000);
    for (const k of slice) p.type(k);
    const res = (await p.exec()) ?? [];
    slice.forEach((k, j) => keys.push({ ...keyRef(k), type: String(res[j]?.[1] ?? 'none') }));
  }
  return { keys, truncated };
}

/** SCANs one node into `raws`; true when maxKeys stopped the walk. */
async function scanNode(redis: Redis, opts: { match?: string; maxKeys: number; count?: number }, raws: Buffer[]): Promise<boolean> {
  let cursor = '0';
  let truncated = false;
  do {
    const args: (string | number)[] = [cursor, 'COUNT', opts.count ?? 1000];
    if (opts.match) args.push('MATCH', opts.match);
    const [next, batch] = (await (redis as unknown as { scanBuffer(...a: (string | number)[]): Promise<[Buffer, Buffer[]]> }).scanBuffer(...args));
    for (const k of batch) {
      if (raws.length >= opts.maxKeys) {
        truncated = true;
        break;
      }
      raws.push(k);
    }
    cursor = next.toString();
  } while (cursor !== '0' && !truncated);
  return truncated;
}
