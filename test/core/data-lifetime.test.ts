/**
 * Data lifetime (issue 10, item 1): nothing of a running experiment expires, a fan-in's width
 * comes from the experiment's state, and when the experiment ends its retention is applied to
 * every key it owns. Real redis-server, both transports.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { HandlerRegistry } from '../../src/pipeline/types.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const SPREAD_JOIN: PipelineSpecInput = {
  name: 'spread_join',
  retentionMs: 1000,
  taskTtlMs: 1000,
  stages: [
    { name: 'spread', width: 3, onTaskFailure: 'fail', timeoutMs: 60_000 },
    { name: 'join', width: 1, timeoutMs: 60_000 },
  ],
};

/** Every key under a prefix whose name contains the experiment id, with its PTTL. */
async function ownedKeys(redis: Redis, prefix: string, id: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) if (k.includes(id)) out.set(k, await redis.pttl(k));
  } while (cursor !== '0');
  return out;
}

async function start(transport: 'streams' | 'lists', handlers: HandlerRegistry, spec: PipelineSpecInput) {
  const prefix = `dl-${transport}-${++n}`;
  const watch = new EventWatch();
  const base = { redisUrl: srv.url, transport, prefix, events: watch.sink };
  const o = new Orchestrator({ ...base, pipeline: spec });
  await o.start();
  const workers = Object.entries(handlers).map(
    ([stage, handler]) => new Worker({ ...base, stage, handler, concurrency: 4, maintenanceIntervalMs: 50, visibilityTimeoutMs: 2000, heartbeatTtlMs: 2000 }),
  );
  for (const w of workers) await w.start();
  return { o, watch, prefix, async stop() { await Promise.all(workers.map((w) => w.stop())); await o.close(); } };
}

describe.each(['streams', 'lists'] as const)('data lifetime over %s', (transport) => {
  it('retention shorter than a stage: nothing expires while it runs, the fan-in gets every result, retention applies at the end', async () => {
    let ttlsWhileRunning: Map<string, number> | undefined;
    let joined: { inputs: unknown[]; expected: number } | undefined;
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let prefix = '';
    const s = await start(transport, {
      spread: async (ctx) => {
        // tasks 1 and 2 finish only after task 0's result has outlived the retention (1 s)
        if (ctx.index > 0) await released;
        return { output: { part: ctx.index } };
      },
      join: (ctx) => {
        joined = { inputs: [...ctx.inputs], expected: ctx.expectedInputs };
        return { output: { parts: ctx.inputs.length } };
      },
    }, SPREAD_JOIN);
    prefix = s.prefix;
    try {
      const id = await s.o.submit({ input: { x: 1 } });
      expect(await s.watch.atLeast(ofType('completed', { experimentId: id, stageIndex: 0 }), 1, 20_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 1500)); // the retention passes while the stage runs
      ttlsWhileRunning = await ownedKeys(srv.client, prefix, id);
      release();
      const state = await s.o.waitFor(id, 30_000);
      expect(state.status).toBe('completed');
      expect(joined).toEqual({ inputs: [{ part: 0 }, { part: 1 }, { part: 2 }], expected: 3 });
      // while it ran: task data, results and artifacts all present, none with a TTL
      const persistent = [...ttlsWhileRunning.entries()].filter(([, ttl]) => ttl !== -1);
      expect(persistent).toEqual([]);
      expect([...ttlsWhileRunning.keys()].filter((k) => k.includes(':res:'))).toHaveLength(1);
      expect([...ttlsWhileRunning.keys()].filter((k) => k.includes(':task:'))).toHaveLength(3);
      // at the end every key it owns expires (state, results, artifacts, task data), then is gone
      expect(await s.watch.atLeast(ofType('experiment-retired', { experimentId: id }), 1, 10_000)).toBe(true);
      const after = await ownedKeys(srv.client, prefix, id);
      expect([...after.values()].filter((ttl) => ttl < 0)).toEqual([]);
      let left = after.size;
      for (let i = 0; i < 100 && left > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = (await ownedKeys(srv.client, prefix, id)).size;
      }
      expect(left).toBe(0);
      const artifacts = await srv.client.keys(`${prefix}:*:art:*`);
      expect(artifacts).toEqual([]);
    } finally {
      release();
      await s.stop();
    }
  }, 60_000);
});
