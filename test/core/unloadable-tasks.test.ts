/**
 * Deliveries whose task cannot be loaded (issue 10, items 2, 3 and 5): a valid task of a running
 * experiment that cannot load fails at once under its stage's policy; a forged one fails
 * nothing; a load Redis keeps refusing ends after maxDeliveries; wide inputs load in chunks.
 * Real redis-server, both transports.
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { HandlerRegistry } from '../../src/pipeline/types.js';
import { taskId } from '../../src/worker/task-data.js';
import { Worker, type WorkerOptions } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const spec = (policy: 'fail' | 'continue', width = 3): PipelineSpecInput => ({
  name: 'spread_join',
  stages: [
    { name: 'spread', width, onTaskFailure: policy, minSuccess: 1, timeoutMs: 60_000 },
    { name: 'join', width: 1, timeoutMs: 60_000 },
  ],
});

const HANDLERS: HandlerRegistry = {
  spread: (ctx) => ({ output: { part: ctx.index } }),
  join: (ctx) => ({ output: { parts: ctx.inputs.length, missing: [...ctx.missing] } }),
};

/** An orchestrator now; workers when `startWorkers` is called (after the test tampered). */
async function setup(transport: 'streams' | 'lists', pipeline: PipelineSpecInput, workerOpts: Partial<WorkerOptions> = {}) {
  const prefix = `ul-${transport}-${++n}`;
  const watch = new EventWatch();
  const base = { redisUrl: srv.url, transport, prefix, events: watch.sink };
  const o = new Orchestrator({ ...base, pipeline });
  await o.start();
  const workers: Worker[] = [];
  return {
    o, watch, prefix,
    async startWorkers() {
      for (const [stage, handler] of Object.entries(HANDLERS)) {
        const w = new Worker({ ...base, stage, handler, maintenanceIntervalMs: 20, visibilityTimeoutMs: 200, heartbeatTtlMs: 500, ...workerOpts });
        await w.start();
        workers.push(w);
      }
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await o.close();
    },
  };
}

async function inject(transport: 'streams' | 'lists', queue: string, msg: { t: string; k: string; e: string }): Promise<void> {
  if (transport === 'streams') await srv.client.xadd(queue, '*', 't', msg.t, 'k', msg.k, 'e', msg.e);
  else await srv.client.lpush(queue, JSON.stringify({ ...msg, d: 0 }));
}

describe.each(['streams', 'lists'] as const)('unloadable tasks over %s', (transport) => {
  it('task data missing under policy fail: the experiment fails at once with the reason, not at the stage timeout', async () => {
    const s = await setup(transport, spec('fail'));
    try {
      const id = await s.o.submit({ input: { x: 1 } });
      await srv.client.del(s.o.keys.task(id, taskId(id, 0, 1)));
      await s.startWorkers();
      const state = await s.o.waitFor(id, 15_000);
      expect(state.status).toBe('failed');
      expect(state.cause).toMatch(/stage spread task 1 dead-lettered after 1 attempt\(s\): AGENT_FAILED: task data missing/);
    } finally {
      await s.stop();
    }
  }, 30_000);

  it('task data missing under policy continue: the task is skipped at once and the stage fans in without it', async () => {
    const s = await setup(transport, spec('continue'));
    try {
      const id = await s.o.submit({ input: { x: 1 } });
      await srv.client.del(s.o.keys.task(id, taskId(id, 0, 1)));
      await s.startWorkers();
      const state = await s.o.waitFor(id, 15_000);
      expect(state.status).toBe('completed');
      expect(await s.o.getResult(id)).toEqual({ parts: 2, missing: [1] });
    } finally {
      await s.stop();
    }
  }, 30_000);

  it('forged messages (an index beyond the width, an unknown experiment) are dead-lettered and fail nothing', async () => {
    const s = await setup(transport, spec('fail'));
    try {
      const id = await s.o.submit({ input: { x: 1 } });
      const q = s.o.keys.queue(0, 'spread');
      for (const t of [taskId(id, 0, 7), taskId(id, 1, 0), taskId('ghost', 0, 0)]) {
        const e = t.split('/')[0];
        await inject(transport, q, { t, k: s.o.keys.task(e, t), e });
      }
      await s.startWorkers();
      expect((await s.o.waitFor(id, 15_000)).status).toBe('completed');
      // (the stage-1 one finds the join's task data once the experiment got there: another stage's task)
      expect(await s.watch.atLeast((e) => e.type === 'dead-lettered' && /missing|does not exist|unknown stage/.test(e.cause ?? ''), 3, 10_000)).toBe(true);
      expect(s.watch.count(ofType('experiment-failed'))).toBe(0);
    } finally {
      await s.stop();
    }
  }, 30_000);

  it('a load Redis keeps refusing (task data of the wrong type) ends after maxDeliveries as the task\'s failure; a forged one only in the dead letter', async () => {
    const s = await setup(transport, spec('fail'), { maxDeliveries: 3 });
    try {
      const id = await s.o.submit({ input: { x: 1 } });
      const tk = s.o.keys.task(id, taskId(id, 0, 2));
      await srv.client.del(tk);
      await srv.client.hset(tk, 'planted', 'hash');
      const ghost = taskId('ghost2', 0, 0);
      await srv.client.hset(s.o.keys.task('ghost2', ghost), 'planted', 'hash');
      await inject(transport, s.o.keys.queue(0, 'spread'), { t: ghost, k: s.o.keys.task('ghost2', ghost), e: 'ghost2' });
      await s.startWorkers();
      const state = await s.o.waitFor(id, 20_000);
      expect(state.status).toBe('failed');
      expect(state.cause).toMatch(/task 2 dead-lettered .*could not be loaded after 3 deliveries: .*WRONGTYPE/);
      expect(await s.watch.atLeast((e) => e.type === 'dead-lettered' && e.experimentId === 'ghost2', 1, 10_000)).toBe(true);
      const ghostDead = s.watch.events.filter((e) => e.type === 'dead-lettered' && e.experimentId === 'ghost2');
      expect(ghostDead).toHaveLength(1);
      expect(ghostDead[0].cause).toMatch(/could not be loaded after 3 deliveries/);
    } finally {
      await s.stop();
    }
  }, 40_000);

  it('a fan-in of 40 inputs loads them 7 at a time, in order', async () => {
    const s = await setup(transport, spec('fail', 40), { inputChunkSize: 7, concurrency: 16 });
    try {
      const id = await s.o.submit({ input: { x: 1 } });
      await s.startWorkers();
      expect((await s.o.waitFor(id, 20_000)).status).toBe('completed');
      expect(await s.o.getResult(id)).toEqual({ parts: 40, missing: [] });
    } finally {
      await s.stop();
    }
  }, 30_000);
});

describe('the width limit', () => {
  it('a static width above 50,000 is refused up front; a dynamic fanOut above it fails its task with the cause', async () => {
    expect(() => new Orchestrator({ redisUrl: srv.url, prefix: 'wl', pipeline: spec('fail', 50_001) })).toThrow(/stages\.0\.width/);
    const prefix = `wl-${++n}`;
    const base = { redisUrl: srv.url, prefix };
    const pipeline: PipelineSpecInput = { name: 'wide', stages: [{ name: 'plan', width: 1 }, { name: 'fan', width: 'dynamic' }] };
    const o = new Orchestrator({ ...base, pipeline });
    await o.start();
    const plan = new Worker({ ...base, stage: 'plan', handler: () => ({ output: {}, fanOut: 50_001 }) });
    await plan.start();
    try {
      const state = await o.waitFor(await o.submit({ input: {} }), 15_000);
      expect(state.status).toBe('failed');
      expect(state.cause).toMatch(/fanOut 50001 for stage "fan" exceeds the width limit 50000/);
    } finally {
      await plan.stop();
      await o.close();
    }
  }, 30_000);
});
