/**
 * Stage deadlines: under `continue`, stragglers past the deadline are skipped and the stage
 * fans in without them (the experiment fails only below minSuccess); under `fail`, the
 * experiment fails with a timeout cause; and deadlines are enforced by the workers when no
 * orchestrator supervises. Real redis-server, both transports.
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { HandlerRegistry, StageHandler } from '../../src/pipeline/types.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

/** A handler that never finishes on its own: it ends when its AbortSignal fires. */
const straggle = (ctx: { signal: AbortSignal }) => new Promise<never>((_, reject) => {
  ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
});

const pipeline = (policy: 'fail' | 'continue', minSuccess = 1): PipelineSpecInput => ({
  name: 'dl',
  stages: [
    { name: 'fan', width: 3, timeoutMs: 60_000, onTaskFailure: policy, ...(policy === 'continue' ? { minSuccess } : {}) },
    { name: 'join', width: 1 },
  ],
});

async function setup(transport: 'streams' | 'lists', spec: PipelineSpecInput, handlers: HandlerRegistry, stages = ['fan', 'join'], supervise = false) {
  const prefix = `dl-${transport}-${++n}`;
  const watch = new EventWatch();
  const base = { redisUrl: srv.url, transport, prefix, events: watch.sink };
  const o = new Orchestrator({ ...base, pipeline: spec, supervise });
  await o.start();
  const workers = stages.map((stage) => new Worker({ ...base, stage, handler: handlers[stage], maintenanceIntervalMs: 20 }));
  for (const w of workers) await w.start();
  return { o, watch, async stop() { for (const w of workers) await w.stop(); await o.close(); } };
}

const join: StageHandler = (ctx) => ({ output: { got: ctx.inputs, missing: ctx.missing } });

describe.each(['streams', 'lists'] as const)('stage deadlines over %s', (transport) => {
  it('continue: a straggler past the stage deadline is skipped and the stage fans in without it', async () => {
    const s = await setup(transport, pipeline('continue', 2), {
      fan: (ctx) => (ctx.index === 2 ? straggle(ctx) : { output: { i: ctx.index } }),
      join,
    });
    try {
      const id = await s.o.submit({ input: {} });
      await s.watch.atLeast((e) => e.type === 'completed' && e.experimentId === id && e.stageIndex === 0, 2, 10_000);
      // the deadline passes (a sweep at a time past it) while task 2 still runs
      await s.o.sweepDeadlines(Date.now() + 61_000);
      const state = await s.o.waitFor(id, 10_000);
      expect(state.status).toBe('completed');
      expect(await s.o.getResult(id)).toEqual({ got: [{ i: 0 }, { i: 1 }], missing: [2] });
      expect(s.watch.count((e) => e.type === 'dead-lettered' && e.taskId === `${id}/0/2`)).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it('continue: the experiment fails when fewer than minSuccess tasks succeeded by the deadline', async () => {
    const s = await setup(transport, pipeline('continue', 2), {
      fan: (ctx) => (ctx.index === 0 ? { output: { i: 0 } } : straggle(ctx)),
      join,
    });
    try {
      const id = await s.o.submit({ input: {} });
      await s.watch.atLeast(ofType('completed', { taskId: `${id}/0/0` }), 1, 10_000);
      await s.o.sweepDeadlines(Date.now() + 61_000);
      const state = await s.o.waitFor(id, 10_000);
      expect(state.status).toBe('failed');
      expect(state.cause).toContain('1 of 3 tasks succeeded, at least 2 required');
    } finally {
      await s.stop();
    }
  });

  it('fail: with no orchestrator supervising, the workers enforce the deadline and the experiment fails with a timeout cause', async () => {
    const spec: PipelineSpecInput = { name: 'dl', stages: [{ name: 'fan', width: 3, timeoutMs: 300 }, { name: 'join', width: 1 }] };
    // no worker for `fan`: its tasks are never claimed; only the join worker runs maintenance
    const s = await setup(transport, spec, { fan: straggle, join }, ['join']);
    try {
      const id = await s.o.submit({ input: {} });
      const state = await s.o.waitFor(id, 10_000).catch((e: Error) => ({ status: e.name, cause: '' }));
      expect(state.status).toBe('failed');
      expect(state.cause).toMatch(/stage fan timed out after 300 ms/);
    } finally {
      await s.stop();
    }
  });

  it('an experiment whose state cannot be swept does not hold up the others', async () => {
    const spec: PipelineSpecInput = { name: 'dl', stages: [{ name: 'fan', width: 3, timeoutMs: 60_000 }, { name: 'join', width: 1 }] };
    const s = await setup(transport, spec, { fan: straggle, join }, ['join']);
    try {
      const keys = s.o.keys;
      // a corrupt experiment due first
      await srv.client.hset(keys.experiment('aaa-corrupt'), 'status', 'running', 'stage', '0', 'spec', '{not json', 'deadline', '1');
      await srv.client.zadd(keys.deadlines(0), 1, 'aaa-corrupt');
      const id = await s.o.submit({ input: {} });
      expect(await s.o.sweepDeadlines(Date.now() + 61_000)).toEqual([id]);
      expect((await s.o.getState(id))?.status).toBe('failed');
    } finally {
      await s.stop();
    }
  });
});
