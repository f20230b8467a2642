/**
 * Task-data keys that will never expire. The core keeps a task's data without a TTL while its
 * experiment runs, and gives it one when the ended experiment is retired (its shard's `ended`
 * zset lists the ones awaiting that), so a key without a TTL is a leak only when its experiment
 * is neither running nor awaiting retirement (or no longer exists). Read-only: PTTL, HGET,
 * ZSCORE, pipelined.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../../src/index.js';
import { siblingKey } from './key-name.js';
import { pipelined } from './pipelined.js';

/** @param _keys unused: an experiment's keys are derived from its task keys
 * @param taskKeys task-data keys with the experiment id each belongs to */
export async function untimedTaskKeys(redis: Redis, _keys: Keyspace, taskKeys: readonly { key: string; experimentId: string }[]): Promise<string[]> {
  const ttls = await pipelined<number | null>(redis, taskKeys.map((t) => t.key), (p, k) => p.pttl(k));
  const untimed = taskKeys.filter((_, i) => ttls[i] === -1);
  // the experiment's keys share its task keys' hash tag: derived from a task key, since the tags
  // (and shardOf) depend on the deployment's shard count, which `keys` may only bound from below
  const taskKeyOf = new Map(untimed.map((t) => [t.experimentId, t.key]));
  const ids = [...taskKeyOf.keys()];
  const statuses = await pipelined<string | null>(redis, ids, (p, id) => p.hget(siblingKey(taskKeyOf.get(id)!, `exp:${id}`), 'status'));
  const awaiting = await pipelined<string | null>(redis, ids, (p, id) => p.zscore(siblingKey(taskKeyOf.get(id)!, 'ended'), id));
  const fine = new Set(ids.filter((_, i) => statuses[i] === 'running' || (statuses[i] !== null && awaiting[i] !== null)));
  return untimed.filter((t) => !fine.has(t.experimentId)).map((t) => t.key);
}
