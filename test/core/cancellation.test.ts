/**
 * No wasted agent runs: a delivery whose result is already recorded is acknowledged without
 * running the agent; tasks of an ended experiment are dropped at load; agents in flight see
 * their AbortSignal fire when their experiment fails. Real redis-server, both transports.
 */
import { describe, expect, it } from 'vitest';
import { AgentError } from '../../src/errors.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { StageHandler } from '../../src/pipeline/types.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

async function setup(transport: 'streams' | 'lists', pipeline: PipelineSpecInput, handler: StageHandler, concurrency = 8) {
  const prefix = `cx-${transport}-${++n}`;
  const watch = new EventWatch();
  const base = { redisUrl: srv.url, transport, prefix, events: watch.sink };
  const o = new Orchestrator({ ...base, pipeline });
  await o.start();
  const w = new Worker({ ...base, stage: pipeline.stages[0].name, handler, concurrency, maintenanceIntervalMs: 20 });
  await w.start();
  return { o, w, watch, async stop() { await w.stop(); await o.close(); } };
}

describe.each(['streams', 'lists'] as const)('cancellation over %s', (transport) => {
  it('a duplicate delivery of a task whose result is recorded does not run the agent again', async () => {
    const runs: number[] = [];
    let watch!: EventWatch;
    const s = await setup(transport, { name: 'dup', stages: [{ name: 'pair', width: 2 }] }, async (ctx) => {
      runs.push(ctx.index);
      // task 1 waits until the duplicate of task 0 has been dealt with
      if (ctx.index === 1) await watch.atLeast(ofType('duplicate-ignored', { taskId: `${ctx.experimentId}/0/0` }), 1, 3_000);
      return { output: { i: ctx.index } };
    });
    watch = s.watch;
    try {
      const id = await s.o.submit({ input: {} });
      await s.watch.atLeast(ofType('completed', { taskId: `${id}/0/0` }), 1, 10_000);
      // the message of task 0 is delivered again (a duplicate, or a reclaim racing the completion)
      const q = s.o.keys.queue(0, 'pair');
      const taskKey = s.o.keys.task(id, `${id}/0/0`);
      if (transport === 'streams') await srv.client.xadd(q, '*', 't', `${id}/0/0`, 'k', taskKey, 'e', id);
      else await srv.client.lpush(q, JSON.stringify({ t: `${id}/0/0`, k: taskKey, e: id, d: 0 }));
      const state = await s.o.waitFor(id, 20_000);
      expect(state.status).toBe('completed');
      expect(runs.filter((i) => i === 0)).toHaveLength(1);
      expect(s.watch.count(ofType('duplicate-ignored', { taskId: `${id}/0/0` }))).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it('when a task fails its experiment, the other tasks are dropped at load and the one in flight is aborted', async () => {
    const width = 20;
    const runs: number[] = [];
    let aborted: unknown;
    const s = await setup(transport, { name: 'doomed', stages: [{ name: 'many', width, maxAttempts: 1 }] }, async (ctx) => {
      runs.push(ctx.index);
      if (ctx.index === 0) throw new AgentError('task 0 cannot succeed', { retryable: false });
      // every other task waits for its AbortSignal (or, on a broken core, a few seconds)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 3_000);
        ctx.signal.addEventListener('abort', () => { aborted ??= ctx.signal.reason; clearTimeout(t); resolve(); }, { once: true });
      });
      return { output: { i: ctx.index } };
    }, 2);
    try {
      const id = await s.o.submit({ input: {} });
      const state = await s.o.waitFor(id, 20_000);
      expect(state.status).toBe('failed');
      expect(state.cause).toContain('task 0 cannot succeed');
      await s.watch.atLeast((e) => e.type === 'cancelled' && e.experimentId === id, width - 1, 10_000);
      // tasks 0 and 1 were running (concurrency 2); the other 18 never ran an agent
      expect(runs.sort((a, b) => a - b)).toEqual([0, 1]);
      expect((aborted as { code?: string } | undefined)?.code).toBe('CANCELLED');
      const cancelled = s.watch.events.filter((e) => e.type === 'cancelled' && e.experimentId === id).map((e) => e.index);
      expect(cancelled.sort((a, b) => a! - b!)).toEqual(Array.from({ length: width - 1 }, (_, i) => i + 1));
    } finally {
      await s.stop();
    }
  });
});
