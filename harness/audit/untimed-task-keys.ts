/**
 * Task-data keys that will never expire. The core keeps a task's data without a TTL while its
 * experiment runs, and gives it one when the ended experiment is retired (its shard's `ended`
 * zset lists the ones awaiting that), so a key without a TTL is a leak only when its experiment
 * is neither running nor awaiting retirement (or no longer exists). Read-only: PTTL, HGET,
 * ZSCORE, pipelined.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../../src/index.js';

const BATCH = 500;

async function pipelined<T>(redis: Redis, items: readonly string[], add: (p: ReturnType<Redis['pipeline']>, item: string) => void): Promise<(T | null)[]> {
  const out: (T | null)[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    const p = redis.pipeline();
    for (const item of items.slice(i, i + BATCH)) add(p, item);
    for (const [err, value] of (await p.exec()) ?? []) out.push(err ? null : (value as T));
  }
  return out;
}

/** @param taskKeys task-data keys with the experiment id each belongs to */
export async function untimedTaskKeys(redis: Redis, keys: Keyspace, taskKeys: readonly { key: string; experimentId: string }[]): Promise<string[]> {
  const ttls = await pipelined<number>(redis, taskKeys.map((t) => t.key), (p, k) => p.pttl(k));
  const untimed = taskKeys.filter((_, i) => ttls[i] === -1);
  const ids = [...new Set(untimed.map((t) => t.experimentId))];
  const statuses = await pipelined<string | null>(redis, ids, (p, id) => p.hget(keys.experiment(id), 'status'));
  const awaiting = await pipelined<string | null>(redis, ids, (p, id) => p.zscore(keys.ended(keys.shardOf(id)), id));
  const fine = new Set(ids.filter((_, i) => statuses[i] === 'running' || (statuses[i] !== null && awaiting[i] !== null)));
  return untimed.filter((t) => !fine.has(t.experimentId)).map((t) => t.key);
}
