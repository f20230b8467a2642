/**
 * Core coordination on a real redis-server, both transports: atomic fan-in, duplicate
 * completions, retries, dead letters (poison and exhausted), stage timeouts, wrong-type keys,
 * several orchestrators at once.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { AgentError, KeyTypeError } from '../../src/errors.js';
import { CONSUMER_GROUP, Keyspace } from '../../src/keys.js';
import { runScript } from '../../src/lua/scripts.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { taskId } from '../../src/worker/task-data.js';
import { completeTaskCall } from '../../src/worker/complete-batch.js';
import { completeTaskKeys } from '../../src/worker/script-keys.js';
import { DEMO_PIPELINE, demoHandlers, sumOfSquares } from '../support/demo-pipeline.js';
import { deploy, eventsOf } from '../support/deployment.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();

const fast = { maintenanceIntervalMs: 20, backoff: { baseMs: 5, maxMs: 20 } };

describe.each(['streams', 'lists'] as const)('coordination over %s', (transport) => {
  it('runs the demo pipeline to the exact result for 20 concurrent experiments; each fan-in runs once, after all its inputs', async () => {
    const d = await deploy({ url: srv.url, transport, handlers: demoHandlers(), pipeline: DEMO_PIPELINE, worker: fast });
    try {
      const ns = Array.from({ length: 20 }, (_, i) => i + 1);
      const ids = await Promise.all(ns.map((n) => d.orchestrator.submit({ input: { n } })));
      const states = await Promise.all(ids.map((id) => d.orchestrator.waitFor(id, 10_000)));
      expect(states.map((s) => s.status)).toEqual(ns.map(() => 'completed'));
      for (const [i, id] of ids.entries()) {
        expect(await d.orchestrator.getResult(id)).toEqual({ sum: sumOfSquares(ns[i]), checks: 2, missing: [] });
        // sum ran exactly once, and only after every square task of its experiment completed
        const sums = eventsOf(d.events, 'completed', { experimentId: id, stage: 'sum' });
        expect(sums).toHaveLength(1);
        const squares = eventsOf(d.events, 'completed', { experimentId: id, stage: 'square' });
        expect(squares).toHaveLength(ns[i]);
        const sumClaimed = eventsOf(d.events, 'claimed', { experimentId: id, stage: 'sum' });
        expect(sumClaimed).toHaveLength(1);
        // completions and the enqueue they cause carry Redis's commit TIME: the sum task was
        // created after (or by) the last square completion, never before
        const sumEnqueued = d.events.filter((e) => e.type === 'enqueued' && e.experimentId === id && e.stageIndex === 2);
        expect(sumEnqueued).toHaveLength(1);
        expect(Math.max(...squares.map((e) => e.ts))).toBeLessThanOrEqual(sumEnqueued[0].ts);
        expect(eventsOf(d.events, 'completed', { experimentId: id, stage: 'final' })).toHaveLength(1);
      }
      expect(d.workers.flatMap((w) => w.errors)).toEqual([]);
    } finally {
      await d.stop();
    }
  });

  it('a duplicate completion of an already-counted task changes nothing', async () => {
    // only split and square workers: the experiment stops at the sum stage, where we look
    const d = await deploy({ url: srv.url, transport, handlers: demoHandlers(), pipeline: DEMO_PIPELINE, worker: fast, stages: ['split', 'square'] });
    try {
      const id = await d.orchestrator.submit({ input: { n: 3 } });
      const keys = d.orchestrator.keys;
      // wait, through Redis, until sum's task exists: block on its queue with a consumer of our own
      const q = keys.queue(0, 'sum');
      const blocking = new Redis(srv.url);
      if (transport === 'streams') {
        await blocking.xgroup('CREATE', q, 'observer', '0', 'MKSTREAM').catch(() => {});
        await blocking.xreadgroup('GROUP', 'observer', 'o', 'COUNT', 1, 'BLOCK', 5000, 'STREAMS', q, '>');
      } else {
        await blocking.brpoplpush(q, q, 5);
      }
      blocking.disconnect();
      const before = await srv.client.hgetall(keys.experiment(id));
      expect(before.stage).toBe('2');
      const results = await srv.client.hgetall(keys.stageResults(id, 1));
      expect(Object.keys(results).filter((k) => /^\d+$/.test(k)).sort()).toEqual(['0', '1', '2']);
      const sumTaskBefore = await srv.client.get(keys.task(id, taskId(id, 2, 0)));
      // replay square task 1's completion with a different result hash
      const replayKeys = completeTaskKeys(keys, 0, '', { exp: id, id: taskId(id, 1, 1), si: 1, stage: 'square', ns: 'sum' }, 1);
      const replay = completeTaskCall(transport === 'streams' ? 'stream' : 'list', [{ keys: replayKeys, args: ['', id, 1, 1, 'e'.repeat(64), '{}', -1, Date.now(), 'replay-token'] }]);
      const [out] = await runScript<string[][]>(srv.client, 'complete-task', replay.keys, replay.args);
      expect(out[0]).toBe('stale');
      expect(await srv.client.hgetall(keys.stageResults(id, 1))).toEqual(results);
      expect(await srv.client.hgetall(keys.experiment(id))).toEqual(before);
      expect(await srv.client.get(keys.task(id, taskId(id, 2, 0)))).toBe(sumTaskBefore);
      expect(await srv.client.hexists(keys.artifacts(id), 'e'.repeat(64))).toBe(0);
    } finally {
      await d.stop();
    }
  });

  it('retries a failing task with backoff and completes once it succeeds', async () => {
    const failures = new Map<string, number>();
    const handlers = demoHandlers({
      square: (ctx) => {
        if (ctx.index === 1 && ctx.attempt < 3) {
          failures.set(ctx.experimentId, (failures.get(ctx.experimentId) ?? 0) + 1);
          throw new Error(`transient failure on attempt ${ctx.attempt}`);
        }
        return { output: { index: ctx.index, square: (ctx.index + 1) ** 2 } };
      },
    });
    const d = await deploy({ url: srv.url, transport, handlers, pipeline: DEMO_PIPELINE, worker: fast });
    try {
      const id = await d.orchestrator.submit({ input: { n: 3 } });
      const s = await d.orchestrator.waitFor(id, 10_000);
      expect(s.status).toBe('completed');
      expect(await d.orchestrator.getResult(id)).toEqual({ sum: 14, checks: 2, missing: [] });
      expect(failures.get(id)).toBe(2);
      const retried = eventsOf(d.events, 'retried', { experimentId: id });
      expect(retried.map((e) => e.attempt)).toEqual([1, 2]);
      expect(retried[0].cause).toContain('transient failure on attempt 1');
    } finally {
      await d.stop();
    }
  });

  it('an attempt that outlives its attempt timeout is retried, and the retry completes', async () => {
    const pipeline = { ...DEMO_PIPELINE, stages: DEMO_PIPELINE.stages.map((st) => (st.name === 'square' ? { ...st, attemptTimeoutMs: 100 } : st)) };
    const handlers = demoHandlers({
      square: async (ctx) => {
        if (ctx.index === 0 && ctx.attempt === 1) await new Promise((r) => setTimeout(r, 400));
        return { output: { index: ctx.index, square: (ctx.index + 1) ** 2 } };
      },
    });
    const d = await deploy({ url: srv.url, transport, handlers, pipeline, worker: fast });
    try {
      const id = await d.orchestrator.submit({ input: { n: 2 } });
      expect((await d.orchestrator.waitFor(id, 10_000)).status).toBe('completed');
      expect(await d.orchestrator.getResult(id)).toEqual({ sum: 5, checks: 2, missing: [] });
      const retried = eventsOf(d.events, 'retried', { experimentId: id });
      expect(retried.map((e) => [e.index, e.attempt, e.cause])).toEqual([[0, 1, 'AGENT_FAILED: attempt 1 timed out after 100 ms']]);
    } finally {
      await d.stop();
    }
  });

  it('a task that always fails ends the experiment failed with the cause after maxAttempts, via the dead letter', async () => {
    const handlers = demoHandlers({
      square: (ctx) => {
        if (ctx.index === 0) throw new Error('model refused');
        return { output: { index: ctx.index, square: 1 } };
      },
    });
    const d = await deploy({ url: srv.url, transport, handlers, pipeline: DEMO_PIPELINE, worker: fast });
    try {
      const id = await d.orchestrator.submit({ input: { n: 2 } });
      const s = await d.orchestrator.waitFor(id, 10_000);
      expect(s.status).toBe('failed');
      expect(s.cause).toBe('stage square task 0 dead-lettered after 3 attempt(s): model refused');
      expect(s.failedStage).toBe('square');
      expect(eventsOf(d.events, 'retried', { experimentId: id })).toHaveLength(2);
      const dead = eventsOf(d.events, 'dead-lettered', { experimentId: id });
      expect(dead).toHaveLength(1);
      expect(dead[0].taskId).toBe(`${id}/1/0`);
      const entries = transport === 'streams'
        ? (await srv.client.xrange(d.orchestrator.keys.deadLetter(0), '-', '+')).map(([, f]) => Object.fromEntries(f.flatMap((v, i, a) => (i % 2 ? [] : [[v, a[i + 1]]]))))
        : (await srv.client.lrange(d.orchestrator.keys.deadLetter(0), 0, -1)).map((x) => JSON.parse(x) as Record<string, string>);
      expect(entries).toEqual([expect.objectContaining({ exp: id, stage: 'square', task: `${id}/1/0`, attempt: '3', reason: 'model refused' })]);
      // nothing is left pending
      expect(await srv.client.zcard(d.orchestrator.keys.delayed(0, 'square'))).toBe(0);
    } finally {
      await d.stop();
    }
  });

  it('a non-retryable failure under a continue policy is skipped; the experiment completes without it', async () => {
    const handlers = demoHandlers({
      check: (ctx) => {
        if (ctx.index === 1) throw new AgentError('checker unavailable', { retryable: false });
        return { output: { checker: ctx.index, ok: true, sum: (ctx.inputs[0] as { sum: number }).sum } };
      },
    });
    const d = await deploy({ url: srv.url, transport, handlers, pipeline: DEMO_PIPELINE, worker: fast });
    try {
      const id = await d.orchestrator.submit({ input: { n: 4 } });
      expect((await d.orchestrator.waitFor(id, 10_000)).status).toBe('completed');
      expect(await d.orchestrator.getResult(id)).toEqual({ sum: 30, checks: 1, missing: [1] });
      expect(eventsOf(d.events, 'retried', { experimentId: id })).toHaveLength(0);
    } finally {
      await d.stop();
    }
  });

  it('poison messages go to the dead letter with their reason and the worker keeps running', async () => {
    const d = await deploy({ url: srv.url, transport, handlers: demoHandlers(), pipeline: DEMO_PIPELINE, worker: fast });
    try {
      const keys = d.orchestrator.keys;
      const q = keys.queue(0, 'split');
      if (transport === 'streams') {
        await srv.client.xadd(q, '*', 'garbage', 'x');
        await srv.client.xadd(q, '*', 't', 'nope/0/0', 'k', keys.task('nope', 'nope/0/0'), 'e', 'nope');
      } else {
        await srv.client.lpush(q, '{not json');
        await srv.client.lpush(q, JSON.stringify({ t: 'nope/0/0', k: keys.task('nope', 'nope/0/0'), e: 'nope', d: 0 }));
      }
      // a real experiment after the poison still completes
      const id = await d.orchestrator.submit({ input: { n: 2 } });
      expect((await d.orchestrator.waitFor(id, 10_000)).status).toBe('completed');
      const dead = eventsOf(d.events, 'dead-lettered');
      expect(dead.map((e) => e.cause)).toEqual([
        expect.stringMatching(/^malformed message|^unparseable message/),
        `task data missing or expired (${keys.task('nope', 'nope/0/0')})`,
      ]);
      const n = transport === 'streams' ? await srv.client.xlen(keys.deadLetter(0)) : await srv.client.llen(keys.deadLetter(0));
      expect(n).toBe(2);
      if (transport === 'streams') {
        const [count] = (await srv.client.xpending(q, CONSUMER_GROUP)) as [number];
        expect(count).toBe(0);
      } else {
        expect(await srv.client.llen(keys.processing(0, 'split', d.workers[0].id))).toBe(0);
      }
    } finally {
      await d.stop();
    }
  });

  it('a stage that outlives its timeout fails the experiment with the cause (supervisor)', async () => {
    const pipeline = { ...DEMO_PIPELINE, stages: DEMO_PIPELINE.stages.map((s) => (s.name === 'sum' ? { ...s, timeoutMs: 150 } : s)) };
    // no worker for sum: the fan-out happens, the fan-in never gets a worker
    const d = await deploy({ url: srv.url, transport, handlers: demoHandlers(), pipeline, worker: fast, stages: ['split', 'square'], orchestrator: { supervisorIntervalMs: 20 } });
    try {
      const id = await d.orchestrator.submit({ input: { n: 2 } });
      const s = await d.orchestrator.waitFor(id, 5_000);
      expect(s.status).toBe('failed');
      expect(s.cause).toBe('stage sum timed out after 150 ms with 1 task(s) unfinished');
      expect(s.failedStage).toBe('sum');
    } finally {
      await d.stop();
    }
  });

  it('waitFor throws a typed timeout for a running experiment and NOT_FOUND for an unknown id', async () => {
    const d = await deploy({ url: srv.url, transport, handlers: demoHandlers(), pipeline: DEMO_PIPELINE, stages: [] });
    try {
      const id = await d.orchestrator.submit({ input: { n: 1 } });
      await expect(d.orchestrator.waitFor(id, 100)).rejects.toMatchObject({ code: 'WAIT_TIMEOUT' });
      await expect(d.orchestrator.waitFor('no-such-experiment', 50)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await d.stop();
    }
  });
});

describe('lists maintenance', () => {
  it('a worker reaped while paused registers itself again when it renews its lease, so its later death is noticed', async () => {
    const { ListsTransport } = await import('../../src/transport/lists.js');
    const keys = new Keyspace({ prefix: 'relist', shards: 1 });
    const t = new ListsTransport();
    await t.registerWorker(srv.client, keys, 0, 'review', 'w-a', 1000);
    // another worker reaped it (heartbeat gone, membership removed)
    await srv.client.del(keys.heartbeat(0, 'w-a'));
    await srv.client.srem(keys.workers(0, 'review'), 'w-a');
    // its lease keeper's next pass (renew-leases.lua) with nothing in hand
    const answers = await runScript<string[]>(srv.client, 'renew-leases',
      [keys.processing(0, 'review', 'w-a'), keys.heartbeat(0, 'w-a'), keys.workers(0, 'review'), keys.queueIndex(0, 'review')], ['list', CONSUMER_GROUP, 'w-a', 1000]);
    expect(answers).toEqual([]);
    expect(await srv.client.sismember(keys.workers(0, 'review'), 'w-a')).toBe(1);
    expect(await srv.client.pttl(keys.heartbeat(0, 'w-a'))).toBeGreaterThan(0);
  });
});

describe('start-up key type checks', () => {
  it('a worker refuses a list where its stream belongs, naming key and types', async () => {
    const keys = new Keyspace({ prefix: 'wrongtype1', shards: 1 });
    await srv.client.lpush(keys.queue(0, 'square'), 'x');
    const w = new Worker({ redisUrl: srv.url, transport: 'streams', prefix: 'wrongtype1', stage: 'square', handler: demoHandlers().square });
    const err = await w.start().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(KeyTypeError);
    expect(err).toMatchObject({ code: 'WRONG_KEY_TYPE', key: keys.queue(0, 'square'), actual: 'list', expected: 'stream' });
    await w.stop();
  });

  it('an orchestrator on lists refuses a stream where its queue belongs', async () => {
    const keys = new Keyspace({ prefix: 'wrongtype2', shards: 2 });
    await srv.client.xadd(keys.queue(1, 'sum'), '*', 'a', '1');
    const o = new Orchestrator({ redisUrl: srv.url, transport: 'lists', prefix: 'wrongtype2', shards: 2, pipeline: DEMO_PIPELINE });
    await expect(o.start()).rejects.toMatchObject({ code: 'WRONG_KEY_TYPE', key: keys.queue(1, 'sum'), actual: 'stream', expected: 'list' });
    await o.close();
  });
});

describe('several orchestrators', () => {
  it('submit the same id once, expire a stage once, and both see the same completion', async () => {
    const base = { redisUrl: srv.url, transport: 'streams' as const, prefix: 'multi-orch', pipeline: DEMO_PIPELINE, supervise: false };
    const a = new Orchestrator(base);
    const b = new Orchestrator(base);
    await Promise.all([a.start(), b.start()]);
    try {
      const [ida, idb] = await Promise.all([a.submit({ id: 'shared-1', input: { n: 2 } }), b.submit({ id: 'shared-1', input: { n: 2 } })]);
      expect(ida).toBe(idb);
      const q = a.keys.queue(0, 'split');
      expect(await srv.client.xlen(q)).toBe(1);
      const later = Date.now() + 120_000;
      const [ea, eb] = await Promise.all([a.sweepDeadlines(later), b.sweepDeadlines(later)]);
      expect([...ea, ...eb]).toEqual(['shared-1']);
      const [sa, sb] = await Promise.all([a.waitFor('shared-1', 1000), b.waitFor('shared-1', 1000)]);
      expect(sa.status).toBe('failed');
      expect(sb).toEqual(sa);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
