/**
 * Stream queues keep every task until it is acknowledged: no trimming of undelivered or
 * pending work (a backlog past `maxStreamLength`, a stage wider than it), an entry deleted from
 * the stream behind the core's back is reconciled with its task, and consumers of dead workers
 * that hold nothing are removed. Real redis-server.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CONSUMER_GROUP } from '../../src/keys.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const widthOf = (width: number): PipelineSpecInput => ({ name: 'flat', stages: [{ name: 'flat', width, timeoutMs: 120_000 }, { name: 'join', width: 1 }] });
const handlers = {
  flat: async (ctx: { index: number }) => ({ output: { i: ctx.index } }),
  join: async (ctx: { inputs: unknown[] }) => ({ output: { count: ctx.inputs.length } }),
};

async function setup(pipeline: PipelineSpecInput, opts: { maxStreamLength?: number; visibilityTimeoutMs?: number } = {}) {
  const prefix = `sq-${++n}`;
  const watch = new EventWatch();
  const base = { redisUrl: srv.url, transport: 'streams' as const, prefix, events: watch.sink, maxStreamLength: opts.maxStreamLength ?? 100_000 };
  const o = new Orchestrator({ ...base, pipeline });
  await o.start();
  const workers = (['flat', 'join'] as const).map((stage) => new Worker({
    ...base, stage, handler: handlers[stage] as never, maintenanceIntervalMs: 20, visibilityTimeoutMs: opts.visibilityTimeoutMs ?? 30_000,
  }));
  return {
    o, watch, workers,
    async stop() {
      for (const w of workers) await w.stop();
      await o.close();
    },
  };
}

describe('stream queues', () => {
  it('a backlog several times maxStreamLength, queued before any worker starts, is processed in full', async () => {
    const s = await setup(widthOf(10), { maxStreamLength: 100 });
    try {
      const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => s.o.submit({ input: { i } })));
      expect(await srv.client.xlen(s.o.keys.queue(0, 'flat'))).toBe(400);
      for (const w of s.workers) await w.start();
      const states = await Promise.all(ids.map((id) => s.o.waitFor(id, 60_000).catch((e: Error) => ({ status: e.name }))));
      expect(states.map((x) => x.status)).toEqual(ids.map(() => 'completed'));
      for (const id of ids) expect(await s.o.getResult(id)).toEqual({ count: 10 });
      // acknowledged entries are deleted (in batches, and at the latest when the workers stop)
      for (const w of s.workers) await w.stop();
      expect(await srv.client.xlen(s.o.keys.queue(0, 'flat'))).toBe(0);
      expect(await srv.client.xlen(s.o.keys.queue(0, 'join'))).toBe(0);
    } finally {
      await s.stop();
    }
  });

  it('a stage wider than maxStreamLength completes', async () => {
    const s = await setup(widthOf(250), { maxStreamLength: 100 });
    try {
      for (const w of s.workers) await w.start();
      const id = await s.o.submit({ input: {} });
      const state = await s.o.waitFor(id, 60_000).catch((e: Error) => ({ status: e.name }));
      expect(state.status).toBe('completed');
      expect(await s.o.getResult(id)).toEqual({ count: 250 });
    } finally {
      await s.stop();
    }
  });

  it('pending entries deleted from the stream behind the core\'s back are reconciled with their tasks', async () => {
    const s = await setup(widthOf(3), { visibilityTimeoutMs: 50 });
    const ghost = new Redis(srv.url);
    try {
      const id = await s.o.submit({ input: {} });
      const q = s.o.keys.queue(0, 'flat');
      // a consumer takes the three tasks and dies; then someone trims the stream to nothing
      await ghost.xreadgroup('GROUP', CONSUMER_GROUP, 'ghost', 'COUNT', 10, 'STREAMS', q, '>');
      await ghost.xtrim(q, 'MAXLEN', 0);
      for (const w of s.workers) await w.start();
      const state = await s.o.waitFor(id, 20_000).catch((e: Error) => ({ status: e.name }));
      expect(state.status).toBe('completed');
      expect(await s.o.getResult(id)).toEqual({ count: 3 });
      // no dead letter without a task: each deleted entry was matched to its task
      expect(s.watch.count((e) => e.type === 'dead-lettered' && !e.taskId)).toBe(0);
    } finally {
      await ghost.quit();
      await s.stop();
    }
  });

  it('removes consumers idle past the stale age that hold nothing, and keeps those that hold entries', async () => {
    const prefix = `sq-${++n}`;
    const watch = new EventWatch();
    const o = new Orchestrator({ redisUrl: srv.url, transport: 'streams', prefix, pipeline: widthOf(1) });
    await o.start();
    const q = o.keys.queue(0, 'flat');
    await srv.client.xgroup('CREATECONSUMER', q, CONSUMER_GROUP, 'dead-empty');
    // a dead consumer that still holds an entry (of a stage no one works on here)
    await srv.client.xadd(q, '*', 'junk', '1');
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'dead-holding', 'COUNT', 1, 'STREAMS', q, '>');
    const w = new Worker({
      redisUrl: srv.url, transport: 'streams', prefix, stage: 'flat', handler: handlers.flat as never, events: watch.sink,
      maintenanceIntervalMs: 20, visibilityTimeoutMs: 600_000, staleConsumerMs: 200,
    });
    try {
      await w.start();
      expect(await watch.atLeast(ofType('consumer-removed', { consumer: 'dead-empty' }), 1, 10_000)).toBe(true);
      const names = ((await srv.client.xinfo('CONSUMERS', q, CONSUMER_GROUP)) as string[][]).map((c) => c[1]);
      expect(names).not.toContain('dead-empty');
      expect(names).toContain('dead-holding');
      expect(watch.count(ofType('consumer-removed', { consumer: 'dead-holding' }))).toBe(0);
    } finally {
      await w.stop();
      await o.close();
    }
  });
});
