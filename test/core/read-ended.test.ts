/**
 * read-ended.lua against a real redis-server: retirement reads an ended experiment's status,
 * spec, end and stage widths with HMGET, not every field of the experiment hash (which holds one
 * completion token per counted task). Failed when the script still did HGETALL.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/lua/scripts.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

describe('experiment hash: "read with HMGET of the state\'s fields, never HGETALL"', () => {
  it('retirement (read-ended.lua) does not read every completion token of an ended wide experiment', async () => {
    const prefix = `rtre${++n}`;
    const width = 300;
    const base = { redisUrl: srv.url, transport: 'streams' as const, prefix };
    const pipeline = { name: 'wide', stages: [{ name: 'flat', width, timeoutMs: 120_000 }, { name: 'join', width: 1 }] };
    const o = new Orchestrator({ ...base, pipeline });
    await o.start();
    const handlers = {
      flat: async (ctx: { index: number }) => ({ output: { i: ctx.index } }),
      join: async (ctx: { inputs: unknown[] }) => ({ output: { count: ctx.inputs.length } }),
    };
    const workers = (['flat', 'join'] as const).map((stage) => new Worker({ ...base, stage, handler: handlers[stage] as never }));
    try {
      await Promise.all(workers.map((w) => w.start()));
      const id = await o.submit({ input: {} });
      expect((await o.waitFor(id, 60_000)).status).toBe('completed');
      const [flat] = await runScript<string[][]>(srv.client, 'read-ended', [o.keys.experiment(id)], []);
      const tokens = flat.filter((f, i) => i % 2 === 0 && f.startsWith('t:'));
      // each maintenance pass reads up to 50 ended experiments this way, inside one script
      expect(tokens.length).toBe(0);
    } finally {
      for (const w of workers) await w.stop();
      await o.close();
    }
  });
});
