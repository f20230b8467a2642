/**
 * Retirement of ended experiments. Nothing an experiment owns has a TTL while it runs; when it
 * ends, the fan-in script puts it on its shard's ended zset, and a sweep (every worker's
 * maintenance and the supervising orchestrator run one) gives each of its keys its
 * retention, counted from the end: the state, the done signal, every stage's results, every
 * artifact and — after `taskTtlMs` — every task's data. Sweepers claim experiments
 * (claim-ended.lua), so concurrent ones share the work; a sweeper that dies mid-way leaves its
 * claims to be taken again.
 */
import type { Redis } from 'ioredis';
import type { LifecycleEvent } from '../events.js';
import type { Keyspace } from '../keys.js';
import { runScript } from '../lua/scripts.js';
import type { Runtime } from '../runtime.js';
import { taskId } from '../worker/task-data.js';
import type { CompactSpec } from './spec.js';

type Emit = (e: Omit<LifecycleEvent, 'pid' | 'component'>) => void;

/** Experiments claimed per pass and shard; keys per retire-experiment call. */
const CLAIM = 50;
const KEYS_PER_CALL = 1000;
/** How long a claim holds before another sweeper may take the experiment (ms). */
const CLAIM_MS = 30_000;

/** One pass over every shard; returns the ids of the experiments it retired. */
export async function sweepEnded(runtime: Runtime, emit?: Emit, onError?: (err: unknown) => void): Promise<string[]> {
  const { keys, redis } = runtime;
  const retired: string[] = [];
  for (const shard of keys.shardIds()) {
    const [sec] = await redis.time();
    const ids = await runScript<string[]>(redis, 'claim-ended', [keys.ended(shard)], [Number(sec) * 1000, CLAIM_MS, CLAIM]);
    for (const id of ids) {
      try {
        if (await retireExperiment(redis, keys, shard, id)) {
          retired.push(id);
          emit?.({ type: 'experiment-retired', ts: Date.now(), experimentId: id });
        }
      } catch (err) {
        if (!onError) throw err;
        onError(err);
      }
    }
  }
  return retired;
}

/** Owned keys of an ended experiment, from its state. */
interface Owned {
  endedAt: number;
  spec: CompactSpec;
  tasks: string[];
  others: string[];
}

async function ownedKeys(redis: Redis, keys: Keyspace, id: string): Promise<Owned | undefined> {
  const state = await redis.hgetall(keys.experiment(id));
  if (!state.status || state.status === 'running' || !state.spec) return undefined;
  const spec = JSON.parse(state.spec) as CompactSpec;
  const tasks: string[] = [];
  const results: string[] = [];
  for (let si = 0; si < spec.stages.length; si++) {
    const width = Number(state[`w${si}`] ?? 0);
    if (width === 0) continue;
    results.push(keys.stageResults(id, si));
    for (let i = 0; i < width; i++) tasks.push(keys.task(id, taskId(id, si, i)));
  }
  const hashes = new Set<string>(state.input ? [state.input] : []);
  const contents = await Promise.all(results.map((k) => redis.hgetall(k)));
  for (const fields of contents) {
    for (const [field, value] of Object.entries(fields)) {
      // numeric fields hold a result hash ('!reason' when skipped); 'w:<i>' ones tokens
      if (/^\d+$/.test(field) && !value.startsWith('!')) hashes.add(value);
    }
  }
  const others = [...results, ...[...hashes].map((h) => keys.artifact(id, h)), keys.done(id)];
  return { endedAt: Number(state.finishedAt), spec, tasks, others };
}

/** Gives an ended experiment's keys their retention; false when it was not one to retire. */
export async function retireExperiment(redis: Redis, keys: Keyspace, shard: number, id: string): Promise<boolean> {
  const owned = await ownedKeys(redis, keys, id);
  const ended = keys.ended(shard);
  if (!owned) {
    // running again or gone: nothing to retire (the script only takes it off the zset); an
    // ended state without its spec keeps the default retention
    const at = Date.now() + 24 * 3600_000;
    await runScript(redis, 'retire-experiment', [ended, keys.experiment(id)], [id, at, at, 0, 1]);
    return false;
  }
  const taskAt = owned.endedAt + owned.spec.tt;
  const otherAt = owned.endedAt + owned.spec.r;
  const all = [...owned.tasks, ...owned.others];
  for (let from = 0; from < all.length || from === 0; from += KEYS_PER_CALL) {
    const part = all.slice(from, from + KEYS_PER_CALL);
    const tasksInPart = Math.max(0, Math.min(part.length, owned.tasks.length - from));
    const last = from + KEYS_PER_CALL >= all.length;
    await runScript(redis, 'retire-experiment', [ended, keys.experiment(id), ...part], [id, taskAt, otherAt, tasksInPart, last ? 1 : 0]);
  }
  return true;
}
