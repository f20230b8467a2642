/**
 * Builds each coordination problem the audit looks for FOR REAL on a given Redis: generic
 * stream and list problems with plain commands, fanin keyspaces with the real core (the
 * Orchestrator and Workers from src/, or `diagnose` with keepRedis).
 */
import { Redis } from 'ioredis';
import { diagnose, type DiagnoseRun } from '../../../harness/runner/diagnose.js';
import { CONSUMER_GROUP, Keyspace } from '../../../src/keys.js';
import { Orchestrator } from '../../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../../src/pipeline/spec.js';
import { demoHandlers, DEMO_PIPELINE } from '../../support/demo-pipeline.js';
import { deploy } from '../../support/deployment.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Key = string | Buffer;

/** XADDs `count` entries, returns their ids. */
export async function addEntries(redis: Redis, key: Key, count: number, field = 'job'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await redis.xadd(key, '*', field, String(i)))!);
  return ids;
}

/**
 * A consumer that XREADGROUPs `count` entries and never acknowledges them. Wait past the
 * audit's pending/idle threshold before auditing (see `sleep`).
 */
export async function unackedConsumer(redis: Redis, key: Key, opts: { group?: string; consumer?: string; count?: number } = {}): Promise<{ ids: string[]; group: string; consumer: string }> {
  const group = opts.group ?? 'workers';
  const consumer = opts.consumer ?? 'consumer-1';
  await redis.xgroup('CREATE', key, group, '$', 'MKSTREAM');
  const ids = await addEntries(redis, key, opts.count ?? 3);
  const read = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 1000, 'STREAMS', key, '>')) as [unknown, [string, string[]][]][];
  const delivered = read[0][1].map(([id]) => id);
  if (delivered.join() !== ids.join()) throw new Error(`fixture: delivered ${delivered.join()} instead of ${ids.join()}`);
  return { ids, group, consumer };
}

/**
 * Pending entries whose stream entries are gone: delivered, never acknowledged, then
 * `XTRIM MAXLEN 0` (mode 'trim', every entry) or `XDEL` of the first one (mode 'del').
 */
export async function ghostPending(redis: Redis, key: Key, mode: 'trim' | 'del' = 'trim', count = 3): Promise<{ ids: string[]; ghosts: string[]; group: string; consumer: string }> {
  const r = await unackedConsumer(redis, key, { group: 'trimmed', consumer: 'reader', count });
  if (mode === 'trim') {
    await redis.xtrim(key, 'MAXLEN', 0);
    return { ...r, ghosts: r.ids };
  }
  await redis.xdel(key, r.ids[0]);
  return { ...r, ghosts: [r.ids[0]] };
}

/** A consumer group created at the start of a stream of `count` entries, never read: lag, no consumer. */
export async function lagWithoutConsumer(redis: Redis, key: Key, count = 4, group = 'nobody-reads'): Promise<{ ids: string[]; group: string }> {
  const ids = await addEntries(redis, key, count);
  await redis.xgroup('CREATE', key, group, '0');
  return { ids, group };
}

/** One queue name as a list in one namespace and a stream in another (the seeds' mix-up). */
export async function mixedQueue(redis: Redis): Promise<{ list: string; stream: string }> {
  await redis.lpush('alpha:orchestrator.tasks', JSON.stringify({ task: 1 }));
  await redis.xadd('beta:orchestrator.tasks', '*', 'task', '1');
  return { list: 'alpha:orchestrator.tasks', stream: 'beta:orchestrator.tasks' };
}

/** A key named like a stream that is a list. */
export async function roleMismatch(redis: Redis): Promise<string> {
  await redis.rpush('audit:stream', 'x');
  return 'audit:stream';
}

export async function evictionPolicy(redis: Redis, policy = 'allkeys-lru'): Promise<void> {
  await redis.config('SET', 'maxmemory-policy', policy);
}

// --- fanin keyspaces through the real core ------------------------------------------------

const FAST_WORKER = { blockMs: 50, maintenanceIntervalMs: 20, heartbeatTtlMs: 1_000, backoff: { baseMs: 5, maxMs: 20 } };

/** Runs one demo experiment to completion with the real core (orchestrator + one worker per stage). */
export async function completedDemoExperiment(url: string, prefix: string, transport: 'streams' | 'lists' = 'streams'): Promise<{ id: string; keys: Keyspace }> {
  const d = await deploy({ url, transport, handlers: demoHandlers(), pipeline: DEMO_PIPELINE, prefix, worker: FAST_WORKER });
  try {
    const id = await d.orchestrator.submit({ input: { n: 2 } });
    const s = await d.orchestrator.waitFor(id, 10_000);
    if (s.status !== 'completed') throw new Error(`fixture: demo experiment ${s.status}: ${s.cause}`);
    // the workers' maintenance retires it (its keys get their retention) before they stop
    const keys = d.orchestrator.keys;
    const check = new Redis(url);
    try {
      for (let i = 0; i < 200 && (await check.zscore(keys.ended(keys.shardOf(id)), id)) !== null; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      check.disconnect();
    }
    return { id, keys };
  } finally {
    await d.stop();
  }
}

/** A completed experiment whose first task-data key was PERSISTed: task data without TTL. */
export async function taskWithoutTtl(redis: Redis, url: string, prefix: string): Promise<{ id: string; key: string; taskKeys: number }> {
  const { id, keys } = await completedDemoExperiment(url, prefix);
  const all = (await redis.keys(`${keys.prefix}:*:task:*`)).sort();
  if (all.length === 0) throw new Error('fixture: no task keys');
  const key = keys.task(id, `${id}/0/0`);
  if (!all.includes(key)) throw new Error(`fixture: ${key} missing`);
  if ((await redis.persist(key)) !== 1) throw new Error('fixture: PERSIST failed');
  return { id, key, taskKeys: all.length };
}

/** The real core dead-letters a task that always fails (3 attempts): a non-empty dead letter. */
export async function deadLetter(url: string, prefix: string, transport: 'streams' | 'lists' = 'streams'): Promise<{ id: string; key: string }> {
  const handlers = demoHandlers({
    square: (ctx) => {
      if (ctx.index === 0) throw new Error('model refused');
      return { output: { index: ctx.index, square: 1 } };
    },
  });
  const d = await deploy({ url, transport, handlers, pipeline: DEMO_PIPELINE, prefix, worker: FAST_WORKER });
  try {
    const id = await d.orchestrator.submit({ input: { n: 2 } });
    const s = await d.orchestrator.waitFor(id, 10_000);
    if (s.status !== 'failed') throw new Error(`fixture: expected a failed experiment, got ${s.status}`);
    return { id, key: d.orchestrator.keys.deadLetter(0) };
  } finally {
    await d.stop();
  }
}

/**
 * Lists transport: the real orchestrator submits an experiment (no worker runs), then its
 * queued message is moved into a worker's processing list, the worker is registered, and it
 * has no heartbeat key: a worker that claimed a task and died.
 */
export async function deadWorkerItems(redis: Redis, url: string, prefix: string, workerId = 'w-split-dead'): Promise<{ id: string; procKey: string; workerId: string; message: string }> {
  const o = new Orchestrator({ redisUrl: url, transport: 'lists', prefix, pipeline: DEMO_PIPELINE, supervise: false });
  await o.start();
  try {
    const id = await o.submit({ input: { n: 2 } });
    const keys = o.keys;
    const procKey = keys.processing(0, 'split', workerId);
    const message = await redis.lmove(keys.queue(0, 'split'), procKey, 'RIGHT', 'LEFT');
    if (!message) throw new Error('fixture: nothing queued');
    await redis.sadd(keys.workers(0, 'split'), workerId);
    if ((await redis.exists(keys.heartbeat(0, workerId))) !== 0) throw new Error('fixture: heartbeat exists');
    return { id, procKey, workerId, message };
  } finally {
    await o.close();
  }
}

/**
 * A completed streams-transport keyspace plus one key of the wrong type: the dead letter as a
 * list (the lists transport's type) where the streams transport expects a stream.
 */
export async function wrongTypeKey(redis: Redis, url: string, prefix: string): Promise<{ key: string }> {
  const { keys } = await completedDemoExperiment(url, prefix, 'streams');
  const key = keys.deadLetter(0);
  await redis.del(key);
  await redis.rpush(key, JSON.stringify({ reason: 'written by a lists-transport component' }));
  return { key };
}

/**
 * A running experiment past its stage deadline: real orchestrator without supervision, the
 * first stage's timeout 50 ms, no worker. Waits until the deadline has passed.
 */
export async function pastDeadline(url: string, prefix: string, timeoutMs = 50): Promise<{ id: string; keys: Keyspace }> {
  const pipeline: PipelineSpecInput = { ...DEMO_PIPELINE, stages: DEMO_PIPELINE.stages.map((s) => (s.name === 'split' ? { ...s, timeoutMs } : s)) };
  const o = new Orchestrator({ redisUrl: url, transport: 'streams', prefix, pipeline, supervise: false });
  await o.start();
  try {
    const id = await o.submit({ input: { n: 2 } });
    await sleep(timeoutMs + 30);
    const s = await o.getState(id);
    if (s?.status !== 'running' || s.deadline >= Date.now()) throw new Error('fixture: experiment not running past its deadline');
    return { id, keys: o.keys };
  } finally {
    await o.close();
  }
}

/** The post-mortem bug through the real diagnose: fan-out without fan-in; its Redis is kept. */
export async function stuckFanIn(runs = 2): Promise<DiagnoseRun & { redis: NonNullable<DiagnoseRun['redis']> }> {
  const r = await diagnose({ runs, variant: 'no-fan-in', runTimeoutMs: 500, keepRedis: true, thresholds: [] });
  if (!r.redis) throw new Error('fixture: diagnose did not keep its Redis');
  return r as DiagnoseRun & { redis: NonNullable<DiagnoseRun['redis']> };
}

/** A clean diagnose run whose Redis is kept for auditing. */
export async function cleanRun(runs = 3, transport: 'streams' | 'lists' = 'streams'): Promise<DiagnoseRun & { redis: NonNullable<DiagnoseRun['redis']> }> {
  const r = await diagnose({ runs, transport, keepRedis: true });
  if (!r.redis) throw new Error('fixture: diagnose did not keep its Redis');
  return r as DiagnoseRun & { redis: NonNullable<DiagnoseRun['redis']> };
}

export { CONSUMER_GROUP };
