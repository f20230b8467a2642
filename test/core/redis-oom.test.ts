/**
 * A full Redis (issue 10, item 6): with `maxmemory` reached under `noeviction`, writes are
 * refused with the typed REDIS_OOM error and nothing half-written; an experiment whose stage
 * deadline passes meanwhile fails with a REDIS_OOM cause; one whose deadline is later resumes
 * when memory frees and completes; waitFor rides it out. A real redis-server of this file's
 * own, filled and then freed; both transports.
 */
import { describe, expect, it } from 'vitest';
import { FaninError } from '../../src/errors.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { HandlerRegistry } from '../../src/pipeline/types.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const pipeline = (timeoutMs: number): PipelineSpecInput => ({
  name: 'spread_join',
  stages: [
    { name: 'spread', width: 2, timeoutMs },
    { name: 'join', width: 1, timeoutMs: 60_000 },
  ],
});

/**
 * Fills Redis with 4 MB of filler keys, then sets maxmemory 1 MB below what it uses (under
 * noeviction): every write that may add data is refused until the filler is deleted.
 */
async function fill(): Promise<string[]> {
  const blob = 'f'.repeat(256 * 1024);
  const names = Array.from({ length: 16 }, (_, i) => `filler:${n}:${i}`);
  for (const name of names) await srv.client.set(name, blob);
  const used = Number(/used_memory:(\d+)/.exec(await srv.client.info('memory'))![1]);
  await srv.client.config('SET', 'maxmemory-policy', 'noeviction');
  await srv.client.config('SET', 'maxmemory', String(used - 1024 * 1024));
  const refused = await srv.client.set(`probe:${n}`, 'x').catch((err: Error) => err);
  expect(String(refused)).toMatch(/OOM command not allowed/);
  return names;
}

async function free(names: string[]): Promise<void> {
  if (names.length > 0) await srv.client.del(...names);
  await srv.client.config('SET', 'maxmemory', '0');
}

describe.each(['streams', 'lists'] as const)('a full Redis over %s', (transport) => {
  it('refuses writes typed REDIS_OOM, fails an overdue experiment with that cause, and resumes the others once memory frees', async () => {
    const prefix = `oom-${transport}-${++n}`;
    const watch = new EventWatch();
    const base = { redisUrl: srv.url, transport, prefix, events: watch.sink };
    const patient = new Orchestrator({ ...base, pipeline: pipeline(60_000) });
    const hasty = new Orchestrator({ ...base, pipeline: pipeline(3_000) });
    await patient.start();
    await hasty.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const handlers: HandlerRegistry = {
      spread: async (ctx) => {
        await gate;
        return { output: { part: ctx.index } };
      },
      join: (ctx) => ({ output: { parts: ctx.inputs.length } }),
    };
    const workers = Object.entries(handlers).map(([stage, handler]) => new Worker({ ...base, stage, handler, maintenanceIntervalMs: 50, visibilityTimeoutMs: 1_000, heartbeatTtlMs: 1_000 }));
    for (const w of workers) await w.start();
    let filler: string[] = [];
    try {
      const a = await patient.submit({ input: { a: 1 } });
      const b = await hasty.submit({ input: { b: 1 } });
      expect(await watch.atLeast(ofType('claimed'), 4, 10_000)).toBe(true);
      filler = await fill();
      // a new experiment is refused, typed, and nothing of it exists
      const refused = await patient.submit({ id: `refused-${n}`, input: { c: 1 } }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FaninError);
      expect((refused as FaninError).code).toBe('REDIS_OOM');
      expect(await patient.getState(`refused-${n}`)).toBeNull();
      release();
      // b's stage deadline passes while its results are refused: it fails, saying why
      const sb = await hasty.waitFor(b, 20_000);
      expect(sb.status).toBe('failed');
      expect(sb.cause).toMatch(/timed out .*REDIS_OOM/);
      // a is intact: still running its first stage, nothing recorded
      const sa = await patient.getState(a);
      expect(sa?.status).toBe('running');
      expect(await srv.client.hlen(patient.keys.stageResults(a, 0))).toBe(0);
      expect(workers.flatMap((w) => w.errors).some((e) => e instanceof FaninError && e.code === 'REDIS_OOM')).toBe(true);
      await free(filler);
      filler = [];
      const done = await patient.waitFor(a, 20_000);
      expect(done.status).toBe('completed');
      expect(await patient.getResult(a)).toEqual({ parts: 2 });
    } finally {
      release();
      await free(filler);
      await Promise.all(workers.map((w) => w.stop()));
      await patient.close();
      await hasty.close();
    }
  }, 60_000);
});

describe.each(['streams', 'lists'] as const)('completions Redis refuses over %s', (transport) => {
  it('a worker runs at most twice its concurrency of agents while their completions are refused, then completes every task once', async () => {
    const prefix = `oom-bound-${transport}-${++n}`;
    const watch = new EventWatch();
    const base = { redisUrl: srv.url, transport, prefix, events: watch.sink };
    const orchestrator = new Orchestrator({ ...base, pipeline: { name: 'wide', stages: [{ name: 'spread', width: 8, timeoutMs: 60_000 }] } });
    await orchestrator.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const started: number[] = [];
    const worker = new Worker({
      ...base, stage: 'spread', concurrency: 2, maintenanceIntervalMs: 50,
      handler: async (ctx) => {
        started.push(ctx.index);
        await gate;
        return { output: { part: ctx.index } };
      },
    });
    await worker.start();
    let filler: string[] = [];
    try {
      const id = await orchestrator.submit({ input: { w: 1 } });
      expect(await watch.atLeast(ofType('claimed'), 2, 10_000)).toBe(true);
      filler = await fill();
      release();
      // (lists: the claim's BLMOVE is itself a write Redis refuses, so no third agent can start
      // there; what that case checks is that every task completes once memory frees)
      if (transport === 'streams') {
        // the two refused completions gave their slots back: two more agents ran (a claim is no
        // write Redis refuses for memory); then every write slot is taken
        expect(await watch.atLeast(ofType('claimed'), 4, 10_000)).toBe(true);
      }
      // refused writes are retried with backoff from 50 ms: a few rounds of them
      while (worker.errors.filter((e) => e instanceof FaninError && e.code === 'REDIS_OOM').length < 2) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1_000));
      expect(started.length).toBeLessThanOrEqual(4);
      expect(await srv.client.hlen(orchestrator.keys.stageResults(id, 0))).toBe(0);
      await free(filler);
      filler = [];
      expect((await orchestrator.waitFor(id, 20_000)).status).toBe('completed');
      // every task's agent ran once: none was claimed again while its completion waited
      expect([...started].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      release();
      await free(filler);
      await worker.stop();
      await orchestrator.close();
    }
  }, 60_000);
});
