/**
 * Retirement of ended experiments. Nothing an experiment owns has a TTL while it runs; when it
 * ends, the fan-in script puts it on its shard's ended zset, and a sweep (every worker's
 * maintenance and the supervising orchestrator run one) gives each of its keys its
 * retention, counted from the end: the state, the done signal, every stage's results, its
 * artifacts hash and — after `taskTtlMs` — every task's data. Sweepers claim experiments
 * (claim-ended.lua), so concurrent ones share the work; a sweeper that dies mid-way leaves its
 * claims to be taken again. A batch costs three script calls whatever its size (claim, read the
 * states, retire).
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
const KEYS_PER_CALL = 5000;
/** How long a claim holds before another sweeper may take the experiment (ms). */
const CLAIM_MS = 30_000;
/** The retention of an ended state whose spec is unreadable (ms). */
const FALLBACK_RETENTION_MS = 24 * 3600_000;

/** One pass over every shard; returns the ids of the experiments it retired. */
export async function sweepEnded(runtime: Runtime, emit?: Emit, onError?: (err: unknown) => void): Promise<string[]> {
  const { keys, redis } = runtime;
  const retired: string[] = [];
  // one clock reading per pass (Redis's, like the deadline sweep)
  const [sec, usec] = await redis.time();
  const now = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  for (const shard of keys.shardIds()) {
    try {
      const ids = await runScript<string[]>(redis, 'claim-ended', [keys.ended(shard)], [now, CLAIM_MS, CLAIM]);
      if (ids.length === 0) continue;
      for (const id of await retireExperiments(redis, keys, shard, ids)) {
        retired.push(id);
        emit?.({ type: 'experiment-retired', ts: Date.now(), experimentId: id });
      }
    } catch (err) {
      if (!onError) throw err;
      onError(err);
    }
  }
  return retired;
}

/** What one experiment owns, and when its keys expire. */
interface Owned {
  id: string;
  taskAt: number;
  otherAt: number;
  tasks: string[];
  others: string[];
}

function pairs(flat: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) o[flat[i]] = flat[i + 1];
  return o;
}

/** Gives ended experiments' keys their retention; returns those retired. */
export async function retireExperiments(redis: Redis, keys: Keyspace, shard: number, ids: readonly string[]): Promise<string[]> {
  const states = (await runScript<string[][]>(redis, 'read-ended', ids.map((id) => keys.experiment(id)), [])).map(pairs);
  // the results hashes of every stage each one started (its widths say which)
  const plans = ids.map((id, n) => {
    const state = states[n];
    const spec = state.spec && state.status && state.status !== 'running' ? (JSON.parse(state.spec) as CompactSpec) : undefined;
    const widths = spec ? spec.stages.map((_, si) => Number(state[`w${si}`] ?? 0)) : [];
    return { id, state, spec, widths };
  });
  const owned: Owned[] = plans.map(({ id, state, spec, widths }) => {
    if (!spec) {
      // running again or gone (the script only takes it off the zset), or an ended state
      // without its spec (the default retention)
      const at = Date.now() + FALLBACK_RETENTION_MS;
      return { id, taskAt: at, otherAt: at, tasks: [], others: [] };
    }
    const tasks: string[] = [];
    const results: string[] = [];
    widths.forEach((width, si) => {
      if (width === 0) return;
      results.push(keys.stageResults(id, si));
      for (let i = 0; i < width; i++) tasks.push(keys.task(id, taskId(id, si, i)));
    });
    const endedAt = Number(state.finishedAt);
    const others = [...results, keys.artifacts(id), keys.done(id)];
    return { id, taskAt: endedAt + spec.tt, otherAt: endedAt + spec.r, tasks, others };
  });
  return retire(redis, keys, shard, owned);
}

/** The retire-experiment calls for `owned`, at most KEYS_PER_CALL keys each. */
async function retire(redis: Redis, keys: Keyspace, shard: number, owned: readonly Owned[]): Promise<string[]> {
  const retired: string[] = [];
  let callKeys: string[] = [keys.ended(shard)];
  let callArgs: (string | number)[] = [];
  const flush = async () => {
    if (callArgs.length === 0) return;
    const answers = await runScript<string[]>(redis, 'retire-experiment', callKeys, callArgs);
    answers.forEach((a, s) => { if (a === 'retired') retired.push(String(callArgs[6 * s])); });
    callKeys = [keys.ended(shard)];
    callArgs = [];
  };
  for (const o of owned) {
    const all = [...o.tasks, ...o.others];
    for (let from = 0; from < all.length || from === 0; from += KEYS_PER_CALL) {
      const part = all.slice(from, from + KEYS_PER_CALL);
      if (callKeys.length + part.length > KEYS_PER_CALL) await flush();
      const tasksInPart = Math.max(0, Math.min(part.length, o.tasks.length - from));
      callKeys.push(keys.experiment(o.id), ...part);
      callArgs.push(o.id, o.taskAt, o.otherAt, tasksInPart, part.length - tasksInPart, from + KEYS_PER_CALL >= all.length ? 1 : 0);
    }
  }
  await flush();
  return retired;
}
