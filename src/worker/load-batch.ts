/**
 * load-task.lua for the deliveries one claim handed over, in one call per shard
 * (call-batcher.ts): each caller gets its own task's answer, as if it had called the script
 * alone; a batch Redis refuses whole is sent again task by task, so only the task whose key
 * refuses it fails its load.
 */
import type { Redis } from 'ioredis';
import { runScript } from '../lua/scripts.js';
import { CallBatcher } from './call-batcher.js';
import { SharedKeys } from './shared-keys.js';

/** One task's answer from load-task.lua (see its header). */
export type LoadAnswer = [string, string | null, string | null, string, number?, ...(string | null)[]] | null;

interface LoadCall {
  keys: readonly string[];
  index: number;
  most: number;
}

const batchers = new WeakMap<Redis, CallBatcher<LoadCall, LoadAnswer>>();

/**
 * load-task.lua's KEYS and ARGV for the given loads (each call's keys: task data, experiment,
 * stage results, artifacts): the task keys first, then each experiment's three keys once,
 * however many of its tasks the batch loads.
 */
export function loadTaskCall(most: number, calls: readonly { keys: readonly string[]; index: number }[]): { keys: string[]; args: number[] } {
  const shared = new SharedKeys(calls.map((c) => c.keys[0]));
  const args = [most];
  for (const c of calls) args.push(c.index, shared.place(c.keys.slice(1)));
  return { keys: shared.keys, args };
}

/**
 * Loads one task through load-task.lua: `keys` are its four keys (task data, experiment,
 * stage results, artifacts), `index` its task index, `most` the most inputs read inline.
 */
export function loadTaskBatched(redis: Redis, shard: number, keys: readonly string[], index: number, most: number): Promise<LoadAnswer> {
  let b = batchers.get(redis);
  if (!b) {
    b = new CallBatcher<LoadCall, LoadAnswer>((calls) => {
      const { keys, args } = loadTaskCall(calls[0].most, calls);
      return runScript<LoadAnswer[]>(redis, 'load-task', keys, args);
    });
    batchers.set(redis, b);
  }
  return b.call(`${shard}|${most}`, { keys, index, most });
}
