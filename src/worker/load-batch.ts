/**
 * load-task.lua for the deliveries one claim handed over, in one call per shard
 * (call-batcher.ts): each caller gets its own task's answer, as if it had called the script
 * alone; a batch Redis refuses whole is sent again task by task, so only the task whose key
 * refuses it fails its load.
 */
import type { Redis } from 'ioredis';
import { runScript } from '../lua/scripts.js';
import { CallBatcher } from './call-batcher.js';

/** One task's answer from load-task.lua (see its header). */
export type LoadAnswer = [string, string | null, string | null, string, number?, ...(string | null)[]] | null;

interface LoadCall {
  keys: readonly string[];
  index: number;
  most: number;
}

const batchers = new WeakMap<Redis, CallBatcher<LoadCall, LoadAnswer>>();

/**
 * Loads one task through load-task.lua: `keys` are its four keys (task data, experiment,
 * stage results, artifacts), `index` its task index, `most` the most inputs read inline.
 */
export function loadTaskBatched(redis: Redis, shard: number, keys: readonly string[], index: number, most: number): Promise<LoadAnswer> {
  let b = batchers.get(redis);
  if (!b) {
    b = new CallBatcher<LoadCall, LoadAnswer>((calls) =>
      runScript<LoadAnswer[]>(redis, 'load-task', calls.flatMap((c) => c.keys), [calls[0].most, ...calls.map((c) => c.index)]));
    batchers.set(redis, b);
  }
  return b.call(`${shard}|${most}`, { keys, index, most });
}
