/**
 * Delivery of long tasks on a real redis-server: a live worker keeps the lease of every task
 * it holds (also while it stops gracefully), and the concurrency limit holds under any
 * reclaim pattern. Handlers are released by the core's own events (lease renewals), never by
 * a sleep; the fallbacks only let a broken core's test end, and the assertions decide.
 */
import { getEventListeners } from 'node:events';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CONSUMER_GROUP } from '../../src/keys.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { StageHandler } from '../../src/pipeline/types.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const LONG: PipelineSpecInput = { name: 'lease', stages: [{ name: 'long', width: 1, timeoutMs: 120_000 }] };

/** Lease options short enough that a task outlives many of them. */
const short = (transport: 'streams' | 'lists') =>
  transport === 'streams' ? { visibilityTimeoutMs: 600, maintenanceIntervalMs: 50 } : { heartbeatTtlMs: 600, maintenanceIntervalMs: 50 };

async function orchestrator(transport: 'streams' | 'lists', prefix: string, pipeline: PipelineSpecInput, watch: EventWatch) {
  const o = new Orchestrator({ redisUrl: srv.url, transport, prefix, pipeline, events: watch.sink });
  await o.start();
  return o;
}

describe.each(['streams', 'lists'] as const)('leases over %s', (transport) => {
  it('a live worker keeps the lease of a task that outlives many lease periods: one execution, one delivery', async () => {
    const prefix = `lease-${transport}-${++n}`;
    const watch = new EventWatch();
    const o = await orchestrator(transport, prefix, LONG, watch);
    const runs: string[] = [];
    const handler = (who: string): StageHandler => async (ctx) => {
      runs.push(who);
      // hold the task until its lease was renewed 10 times (or, on a broken core, 4 lease periods)
      await watch.next(ofType('lease-renewed', { taskId: `${ctx.experimentId}/0/0` }), 10, 2_400);
      return { output: { who } };
    };
    const workers = ['a', 'b'].map((who) => new Worker({
      redisUrl: srv.url, transport, prefix, stage: 'long', handler: handler(who), events: watch.sink, ...short(transport),
    }));
    try {
      for (const w of workers) await w.start();
      const id = await o.submit({ input: { x: 1 } });
      const state = await o.waitFor(id, 30_000);
      expect(state.status).toBe('completed');
      expect(runs).toHaveLength(1);
      expect(watch.count(ofType('lease-renewed', { taskId: `${id}/0/0` }))).toBeGreaterThanOrEqual(10);
      expect(watch.count(ofType('reclaimed'))).toBe(0);
      expect(watch.events.filter((e) => e.type === 'claimed').map((e) => e.deliveries)).toEqual([1]);
    } finally {
      for (const w of workers) await w.stop();
      await o.close();
    }
  });

  it('a graceful stop keeps the lease until the task in hand has finished: exactly one execution', async () => {
    const prefix = `stop-${transport}-${++n}`;
    const watch = new EventWatch();
    const o = await orchestrator(transport, prefix, LONG, watch);
    const runs: string[] = [];
    let markStarted!: () => void;
    const started = new Promise<void>((r) => { markStarted = r; });
    const first = new Worker({
      redisUrl: srv.url, transport, prefix, stage: 'long', events: watch.sink, ...short(transport),
      handler: async (ctx) => {
        runs.push('first');
        markStarted();
        // the stop has begun (stop() is what SIGTERM calls); stay busy for 10 more renewals
        await watch.next(ofType('lease-renewed', { taskId: `${ctx.experimentId}/0/0` }), 10, 3_000);
        return { output: { who: 'first' } };
      },
    });
    let stopping: Promise<void> | undefined;
    const second = new Worker({
      redisUrl: srv.url, transport, prefix, stage: 'long', events: watch.sink, ...short(transport),
      handler: async () => {
        runs.push('second');
        return { output: { who: 'second' } };
      },
    });
    try {
      await first.start();
      const id = await o.submit({ input: { x: 2 } });
      await started;
      stopping = first.stop();
      await second.start();
      const state = await o.waitFor(id, 30_000);
      await stopping;
      expect(state.status).toBe('completed');
      expect(runs).toEqual(['first']);
      expect(await o.getResult(id)).toEqual({ who: 'first' });
    } finally {
      await (stopping ?? first.stop());
      await second.stop();
      await o.close();
    }
  });
});

describe('concurrency limit (streams)', () => {
  it('never runs more than `concurrency` handlers at once, even when reclaims outnumber free slots', async () => {
    const prefix = `conc-${++n}`;
    const watch = new EventWatch();
    const width = 120;
    const o = await orchestrator('streams', prefix, { name: 'wide', stages: [{ name: 'wide', width, timeoutMs: 120_000 }] }, watch);
    // a consumer that takes every entry and dies: all of them must be reclaimed
    const ghost = new Redis(srv.url);
    let active = 0;
    let peak = 0;
    let runs = 0;
    const worker = new Worker({
      redisUrl: srv.url, transport: 'streams', prefix, stage: 'wide', concurrency: 2, events: watch.sink,
      visibilityTimeoutMs: 50, maintenanceIntervalMs: 10,
      handler: async (ctx) => {
        active += 1;
        runs += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active -= 1;
        return { output: { i: ctx.index } };
      },
    });
    try {
      const id = await o.submit({ input: {} });
      const q = o.keys.queue(0, 'wide');
      const taken = (await ghost.xreadgroup('GROUP', CONSUMER_GROUP, 'ghost', 'COUNT', 1000, 'STREAMS', q, '>')) as [string, unknown[]][];
      expect(taken[0][1]).toHaveLength(width);
      await worker.start();
      const state = await o.waitFor(id, 60_000);
      expect(state.status).toBe('completed');
      expect(runs).toBeGreaterThanOrEqual(width);
      expect(peak).toBeLessThanOrEqual(2);
    } finally {
      await worker.stop();
      await ghost.quit();
      await o.close();
    }
  });
});

describe.each(['streams', 'lists'] as const)('worker hygiene over %s', (transport) => {
  it('leaves no listener behind on its long-lived stop signal, however many tasks it runs', async () => {
    const prefix = `hyg-${transport}-${++n}`;
    const watch = new EventWatch();
    const o = await orchestrator(transport, prefix, { name: 'many', stages: [{ name: 'many', width: 200 }] }, watch);
    const w = new Worker({ redisUrl: srv.url, transport, prefix, stage: 'many', handler: (ctx) => ({ output: { i: ctx.index } }), maintenanceIntervalMs: 20 });
    try {
      await w.start();
      const id = await o.submit({ input: {} });
      expect((await o.waitFor(id, 30_000)).status).toBe('completed');
      const stop = (w as unknown as { abort: AbortController }).abort.signal;
      expect(getEventListeners(stop, 'abort').length).toBeLessThanOrEqual(8);
    } finally {
      await w.stop();
      await o.close();
    }
  });

  it('a hard stop issued while a graceful stop waits aborts the agents in hand at once', async () => {
    const prefix = `hard-${transport}-${++n}`;
    const watch = new EventWatch();
    const o = await orchestrator(transport, prefix, LONG, watch);
    let reason: unknown;
    let markStarted!: () => void;
    const started = new Promise<void>((r) => { markStarted = r; });
    const w = new Worker({
      redisUrl: srv.url, transport, prefix, stage: 'long', ...short(transport),
      handler: (ctx) => new Promise((resolve) => {
        markStarted();
        const t = setTimeout(() => resolve({ output: {} }), 10_000);
        ctx.signal.addEventListener('abort', () => { reason = ctx.signal.reason; clearTimeout(t); resolve({ output: {} }); }, { once: true });
      }),
    });
    try {
      await w.start();
      await o.submit({ input: {} });
      await started;
      const graceful = w.stop();
      await w.stop({ hard: true });
      await graceful;
      expect((reason as { code?: string } | undefined)?.code).toBe('SHUTDOWN');
    } finally {
      await w.stop();
      await o.close();
    }
  });
});

describe('lost leases (streams)', () => {
  it('an agent whose entry another consumer took over is aborted (LEASE_LOST) and its worker leaves the entry alone', async () => {
    const prefix = `lost-${++n}`;
    const watch = new EventWatch();
    const o = await orchestrator('streams', prefix, LONG, watch);
    const thief = new Redis(srv.url);
    let reason: unknown;
    let markStarted!: (id: string) => void;
    const started = new Promise<string>((r) => { markStarted = r; });
    const w = new Worker({
      redisUrl: srv.url, transport: 'streams', prefix, stage: 'long', events: watch.sink, ...short('streams'),
      handler: (ctx) => new Promise((resolve) => {
        markStarted(ctx.experimentId);
        const t = setTimeout(() => resolve({ output: {} }), 5_000);
        ctx.signal.addEventListener('abort', () => { reason = ctx.signal.reason; clearTimeout(t); resolve({ output: {} }); }, { once: true });
      }),
    });
    try {
      await w.start();
      await o.submit({ input: {} });
      const id = await started;
      const q = o.keys.queue(0, 'long');
      const [[entry]] = (await thief.xpending(q, CONSUMER_GROUP, '-', '+', 1)) as [string][];
      await thief.xclaim(q, CONSUMER_GROUP, 'thief', 0, entry, 'JUSTID');
      expect(await watch.atLeast(ofType('cancelled', { taskId: `${id}/0/0` }), 1, 5_000)).toBe(true);
      expect((reason as { code?: string } | undefined)?.code).toBe('LEASE_LOST');
      const pending = (await thief.xpending(q, CONSUMER_GROUP, '-', '+', 10)) as [string, string][];
      expect(pending.map((p) => p[1])).toEqual(['thief']);
      expect(watch.count(ofType('completed'))).toBe(0);
    } finally {
      await w.stop();
      await thief.quit();
      await o.close();
    }
  });
});
