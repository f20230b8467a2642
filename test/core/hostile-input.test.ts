/**
 * Hostile and broken input (issue 10, items 3 and 4): a queue message never makes a worker read
 * a key outside its prefix or run an agent on planted data, and an agent output that is not
 * JSON fails its task at once. Real redis-server, both transports.
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { StageHandler } from '../../src/pipeline/types.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const ONE: PipelineSpecInput = { name: 'one', stages: [{ name: 'solo', width: 1, timeoutMs: 60_000 }] };

async function setup(transport: 'streams' | 'lists', handler: StageHandler) {
  const prefix = `hi-${transport}-${++n}`;
  const watch = new EventWatch();
  const base = { redisUrl: srv.url, transport, prefix, events: watch.sink };
  const o = new Orchestrator({ ...base, pipeline: ONE });
  await o.start();
  const w = new Worker({ ...base, stage: 'solo', handler, maintenanceIntervalMs: 20, visibilityTimeoutMs: 200, heartbeatTtlMs: 200 });
  await w.start();
  return { o, w, watch, prefix, async stop() { await w.stop(); await o.close(); } };
}

/** Puts a message naming `taskKey` on the stage queue, as a forger would. */
async function inject(transport: 'streams' | 'lists', queue: string, msg: { t: string; k: string; e: string }): Promise<void> {
  if (transport === 'streams') await srv.client.xadd(queue, '*', 't', msg.t, 'k', msg.k, 'e', msg.e);
  else await srv.client.lpush(queue, JSON.stringify({ ...msg, d: 0 }));
}

describe.each(['streams', 'lists'] as const)('hostile input over %s', (transport) => {
  it('a message naming a key outside the prefix is dead-lettered without reading it; a real experiment is untouched', async () => {
    const runs: string[] = [];
    const s = await setup(transport, (ctx) => {
      runs.push(ctx.experimentId);
      return { output: { ok: true } };
    });
    try {
      const id = await s.o.submit({ input: { x: 1 } });
      expect((await s.o.waitFor(id, 10_000)).status).toBe('completed');
      await srv.client.set(`app:secret:${n}`, 'TOP-SECRET-VALUE');
      // task-shaped data planted outside the prefix, and a key of another type
      const planted = JSON.stringify({ id: `${id}/0/0`, exp: id, stage: 'solo', si: 0, i: 0, w: 1, in: [], miss: [], ex: 1, a: 1, ma: 3, dl: Date.now() + 60_000, p: {}, ns: '', nw: 0 });
      await srv.client.set(`app:planted:${n}`, planted);
      await srv.client.hset(`app:hash:${n}`, 'f', 'v');
      const q = s.o.keys.queue(0, 'solo');
      for (const k of [`app:secret:${n}`, `app:planted:${n}`, `app:hash:${n}`]) await inject(transport, q, { t: `${id}/0/0`, k, e: id });
      await inject(transport, q, { t: '../../etc', k: s.o.keys.task(id, `${id}/0/0`), e: 'x y' });
      expect(await s.watch.atLeast((e) => e.type === 'dead-lettered' && !e.index, 4, 10_000)).toBe(true);
      const reasons = s.watch.events.filter((e) => e.type === 'dead-lettered').map((e) => e.cause ?? '');
      expect(reasons.join('\n')).not.toContain('TOP-SECRET');
      expect(reasons.filter((r) => /outside|does not match|malformed|invalid/.test(r))).toHaveLength(4);
      // the agent never ran on planted data; the real experiment kept its result
      expect(runs).toEqual([id]);
      expect((await s.o.getState(id))?.status).toBe('completed');
      expect(s.w.errors).toEqual([]);
    } finally {
      await s.stop();
    }
  });

  it('a huge garbage message is dead-lettered with at most its first 4 KB kept', async () => {
    const s = await setup(transport, () => ({ output: {} }));
    try {
      const q = s.o.keys.queue(0, 'solo');
      const huge = 'x'.repeat(200_000);
      if (transport === 'streams') await srv.client.xadd(q, '*', 'junk', huge);
      else await srv.client.lpush(q, huge);
      expect(await s.watch.atLeast(ofType('dead-lettered'), 1, 10_000)).toBe(true);
      const dead = s.o.keys.deadLetter(0);
      const message = transport === 'streams'
        ? (await srv.client.xrange(dead, '-', '+'))[0][1][5]
        : (JSON.parse((await srv.client.lindex(dead, 0))!) as { message: string }).message;
      expect(message.length).toBeLessThanOrEqual(4096 + 40);
      expect(message).toMatch(/… \(\d+ more characters\)$/);
    } finally {
      await s.stop();
    }
  });

  it('an output that is not JSON fails its task at once, not retried, with the cause', async () => {
    let runs = 0;
    const s = await setup(transport, () => {
      runs += 1;
      return { output: { big: 10n } };
    });
    try {
      const id = await s.o.submit({ input: {} });
      const state = await s.o.waitFor(id, 10_000);
      expect(state.status).toBe('failed');
      expect(state.cause).toContain('output is not JSON-serialisable');
      expect(runs).toBe(1);
      expect(s.watch.count(ofType('retried'))).toBe(0);
    } finally {
      await s.stop();
    }
  });
});
