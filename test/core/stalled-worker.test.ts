/**
 * A worker that stalls between loading a task and running its agent (a SIGSTOP, a long GC or
 * event-loop block): meanwhile its lease lapses and another worker takes the task over and
 * completes it. When the stalled worker resumes it must not run the agent — the task is no
 * longer its own. The stall is made with the core's injection points (the load step waits on a
 * gate; renewals, like everything in a stopped process, do not reach Redis while it waits).
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator, Worker, type StageHandler } from '../../src/index.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

/** A one-stage pipeline with 400 ms leases, and handlers that record which worker ran. */
async function stallSetup(transport: 'streams' | 'lists', tag: string) {
  const prefix = `stall-${tag}-${transport}-${++n}`;
  const watch = new EventWatch();
  const lease = transport === 'streams' ? { visibilityTimeoutMs: 400 } : { heartbeatTtlMs: 400 };
  const o = new Orchestrator({ redisUrl: srv.url, transport, prefix, pipeline: { name: 'stall', stages: [{ name: 'only' }] }, events: watch.sink });
  await o.start();
  const runs: string[] = [];
  const handler = (who: string): StageHandler => (ctx) => {
    runs.push(who);
    return { output: { who, task: ctx.index } };
  };
  return { prefix, watch, lease, o, runs, handler };
}

describe.each(['streams', 'lists'] as const)('a stalled worker over %s', (transport) => {
  it('resumes after another worker completed its task: the agent does not run again (cancelled)', async () => {
    const { prefix, watch, lease, o, runs, handler } = await stallSetup(transport, 'load');
    let paused = false;
    let resume!: () => void;
    const gate = new Promise<void>((r) => { resume = r; });
    const a = new Worker({
      redisUrl: srv.url, transport, prefix, stage: 'only', handler: handler('a'), events: watch.sink, maintenanceIntervalMs: 50, ...lease,
      // one slot: its only claim loop is the one that stalls (a stopped process claims nothing)
      concurrency: 1,
      steps: (core) => ({
        async load(ctx, message) {
          const loaded = await core.load(ctx, message);
          paused = true;
          await gate;
          paused = false;
          return loaded;
        },
        // a stopped process renews nothing and maintains nothing
        renew: (ctx, shard, held) => (paused ? Promise.resolve(held.map(() => 'held')) : core.renew(ctx, shard, held)),
        maintain: (ctx, shard) => (paused ? Promise.resolve() : core.maintain(ctx, shard)),
        recover: (ctx, shard, count) => (paused ? Promise.resolve([]) : core.recover(ctx, shard, count)),
      }),
    });
    const b = new Worker({ redisUrl: srv.url, transport, prefix, stage: 'only', handler: handler('b'), events: watch.sink, maintenanceIntervalMs: 50, ...lease });
    try {
      await a.start();
      const id = await o.submit({ input: { x: 1 } });
      // a has claimed and loaded the task, and stalls; b takes it over once a's lease lapsed
      expect(await watch.atLeast(ofType('claimed', { workerId: a.id }), 1, 10_000)).toBe(true);
      await b.start();
      const state = await o.waitFor(id, 20_000);
      expect(state.status).toBe('completed');
      expect(runs).toEqual(['b']);
      resume();
      // a ends its stale delivery one way or another; the core's events say how
      const ended = (e: { type: string; workerId?: string }) => e.workerId === a.id && ['cancelled', 'acked', 'duplicate-ignored'].includes(e.type);
      expect(await watch.atLeast(ended, 1, 10_000)).toBe(true);
      expect(runs).toEqual(['b']);
      // a's check finds the task completed (duplicate-ignored) or its experiment ended (cancelled)
      const end = watch.events.find((e) => e.workerId === a.id && (e.type === 'cancelled' || e.type === 'duplicate-ignored'));
      expect(end).toBeDefined();
      if (end!.type === 'cancelled') expect(end!.cause).toMatch(/lease lost|experiment ended/);
    } finally {
      resume();
      await a.stop();
      await b.stop();
      await o.close();
    }
  }, 60_000);
});

describe.each([
  ['streams', 'claim'], ['lists', 'claim'], ['streams', 'run'], ['lists', 'run'],
] as const)('a worker over %s stalled in its %s step', (transport, where) => {
  // claim: handed a task by a blocked claim, the process stalls before it sees it (past its
  // lease, within its block time); run: it stalls after every check, just before the agent starts
  it('does not run the agent another worker runs meanwhile', async () => {
    const { prefix, watch, lease, o, runs, handler } = await stallSetup(transport, where);
    let paused = false;
    let stalledOnce = false;
    let resume!: () => void;
    const gate = new Promise<void>((r) => { resume = r; });
    const stall = async () => {
      if (stalledOnce) return;
      stalledOnce = paused = true;
      await gate;
      paused = false;
    };
    const a = new Worker({
      // a block time far longer than the lease: the stall ends well within it
      redisUrl: srv.url, transport, prefix, stage: 'only', handler: handler('a'), events: watch.sink, maintenanceIntervalMs: 50, blockMs: 30_000, ...lease,
      concurrency: 1,
      steps: (core) => ({
        async claim(ctx, shard, count, conn) {
          const got = await core.claim(ctx, shard, count, conn);
          if (where === 'claim' && got.length > 0) await stall();
          return got;
        },
        async run(ctx, task, inputs, attempt, track) {
          if (where === 'run') await stall();
          return core.run(ctx, task, inputs, attempt, track);
        },
        // a stopped process's renewal timer fires only once it resumes
        async renew(ctx, shard, held) {
          if (paused) await gate;
          return core.renew(ctx, shard, held);
        },
        maintain: (ctx, shard) => (paused ? Promise.resolve() : core.maintain(ctx, shard)),
        recover: (ctx, shard, count) => (paused ? Promise.resolve([]) : core.recover(ctx, shard, count)),
      }),
    });
    // b's agent runs until a has resumed and ended its stale delivery one way or another
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    const bHandler: StageHandler = async (ctx) => {
      runs.push('b');
      resume();
      await released;
      return { output: { who: 'b', task: ctx.index } };
    };
    const b = new Worker({ redisUrl: srv.url, transport, prefix, stage: 'only', handler: bHandler, events: watch.sink, maintenanceIntervalMs: 50, ...lease });
    try {
      await a.start();
      const id = await o.submit({ input: { x: 1 } });
      await b.start();
      const ended = (e: { type: string; workerId?: string }) => e.workerId === a.id && ['cancelled', 'acked', 'duplicate-ignored'].includes(e.type);
      expect(await watch.atLeast(ended, 1, 20_000)).toBe(true);
      release();
      expect((await o.waitFor(id, 20_000)).status).toBe('completed');
      expect(runs).toEqual(['b']);
    } finally {
      resume();
      release();
      await a.stop({ hard: true });
      await b.stop();
      await o.close();
    }
  }, 60_000);
});

describe.each(['streams', 'lists'] as const)('a worker with slow round trips over %s', (transport) => {
  it('is no stalled worker: checks slower than its freshness window still let the agent run, once', async () => {
    const prefix = `slow-rtt-${transport}-${++n}`;
    // a 400 ms lease is fresh for 100 ms; every load and renewal takes 120 ms (a slow network)
    const lease = transport === 'streams' ? { visibilityTimeoutMs: 400 } : { heartbeatTtlMs: 400 };
    const o = new Orchestrator({ redisUrl: srv.url, transport, prefix, pipeline: { name: 'slow', stages: [{ name: 'only' }] } });
    await o.start();
    let runs = 0;
    const slow = () => new Promise((r) => setTimeout(r, 120));
    const w = new Worker({
      redisUrl: srv.url, transport, prefix, stage: 'only', concurrency: 1, blockMs: 2000, ...lease,
      handler: (ctx) => { runs++; return { output: { task: ctx.index } }; },
      steps: (core) => ({
        async load(ctx, message) { await slow(); return core.load(ctx, message); },
        async renew(ctx, shard, held) { await slow(); return core.renew(ctx, shard, held); },
      }),
    });
    try {
      await w.start();
      // the worker's claim waits for work longer than the freshness window: it checks first
      await new Promise((r) => setTimeout(r, 500));
      const id = await o.submit({ input: { x: 1 } });
      expect((await o.waitFor(id, 20_000)).status).toBe('completed');
      expect(runs).toBe(1);
    } finally {
      await w.stop({ hard: true });
      await o.close();
    }
  }, 60_000);
});

describe.each(['streams', 'lists'] as const)('a completion that meets an outage over %s', (transport) => {
  it('is sent again while the worker holds the lease: the agent runs once', async () => {
    const prefix = `outage-${transport}-${++n}`;
    const watch = new EventWatch();
    const lease = transport === 'streams' ? { visibilityTimeoutMs: 400 } : { heartbeatTtlMs: 400 };
    const o = new Orchestrator({ redisUrl: srv.url, transport, prefix, pipeline: { name: 'outage', stages: [{ name: 'only' }] }, events: watch.sink });
    await o.start();
    let runs = 0;
    let refused = 0;
    const w = new Worker({
      redisUrl: srv.url, transport, prefix, stage: 'only', events: watch.sink, maintenanceIntervalMs: 50, ...lease,
      handler: (ctx) => { runs++; return { output: { task: ctx.index } }; },
      steps: (core) => ({
        // the first completion never reaches Redis: the connection dropped (nothing committed)
        complete: async (ctx, c) => {
          if (refused++ === 0) throw new Error('Connection is closed.');
          return core.complete(ctx, c);
        },
      }),
    });
    try {
      await w.start();
      const id = await o.submit({ input: { x: 1 } });
      expect((await o.waitFor(id, 20_000)).status).toBe('completed');
      expect(runs).toBe(1);
      expect(refused).toBe(2);
      expect(watch.count(ofType('claimed'))).toBe(1);
    } finally {
      await w.stop();
      await o.close();
    }
  }, 60_000);
});
