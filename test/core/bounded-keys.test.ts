/**
 * Unbounded keys (issue 10, item 7): every key the core writes is bounded in size or expires.
 * The dead letter of both transports is capped at `maxStreamLength`; after 10,000 experiments
 * and their retention only the static keys of docs/keys.md remain. Real redis-server, both
 * transports, the core through its public API (src/index.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  CONSTITUTIONAL_PIPELINE, CONSUMER_GROUP, Orchestrator, Worker,
  type HandlerRegistry, type Keyspace, type PipelineSpecInput,
} from '../../src/index.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { startRedis, useRedis } from '../support/redis.js';

const srv = useRedis();
/** Redis's default stream-node-max-entries: `MAXLEN ~` trims whole nodes only. */
const STREAM_NODE = 100;

describe.each(['streams', 'lists'] as const)('bounded keys over %s', (transport) => {
  it('the dead letter is capped at maxStreamLength', async () => {
    const cap = 100;
    const poison = 2 * cap + 50;
    const prefix = `dl-${transport}`;
    const watch = new EventWatch();
    const base = { redisUrl: srv.url, transport, prefix, maxStreamLength: cap, events: watch.sink };
    const o = new Orchestrator({ ...base, pipeline: { name: 'one', stages: [{ name: 'solo' }] } });
    await o.start();
    const w = new Worker({ ...base, stage: 'solo', handler: () => ({ output: {} }) });
    await w.start();
    try {
      const q = o.keys.queue(0, 'solo');
      for (let i = 0; i < poison; i++) {
        if (transport === 'streams') await srv.client.xadd(q, '*', 'junk', String(i));
        else await srv.client.lpush(q, `not json ${i}`);
      }
      expect(await watch.atLeast(ofType('dead-lettered'), poison, 20_000)).toBe(true);
      const dead = o.keys.deadLetter(0);
      const len = transport === 'streams' ? await srv.client.xlen(dead) : await srv.client.llen(dead);
      if (transport === 'lists') {
        expect(len).toBe(cap);
        // the newest records are the ones kept
        expect(JSON.parse((await srv.client.lindex(dead, 0))!).message).toBe(`not json ${poison - 1}`);
      } else expect(len).toBeLessThanOrEqual(cap + STREAM_NODE);
      expect(w.errors).toEqual([]);
    } finally {
      await w.stop();
      await o.close();
    }
  });
});

/** Zero-work agents for the reference pipeline (as bench/core.ts). */
const ZERO_WORK: HandlerRegistry = {
  pre_test: () => ({ output: { batches: 2 }, fanOut: 2 }),
  analyse_batch: (ctx) => ({ output: { batch: ctx.index } }),
  corpus_synthesis: (ctx) => ({ output: { batches: ctx.inputs.length } }),
  review: (ctx) => ({ output: { reviewer: ctx.index } }),
  moderation: (ctx) => ({ output: { reviews: ctx.inputs.length } }),
};
const EXPERIMENTS = 10_000;
const IN_FLIGHT = 48;
const SHARDS = 2;
const RETENTION_MS = 1_000;
const PIPELINE: PipelineSpecInput = { ...CONSTITUTIONAL_PIPELINE, retentionMs: RETENTION_MS, taskTtlMs: 1_000 };
const STAGES = CONSTITUTIONAL_PIPELINE.stages.map((s) => s.name);

/** Every key of the server (SCAN), sorted. */
async function allKeys(redis: Redis): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    out.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return out.sort();
}

/**
 * Waits out the retention: keys expire on Redis's clock (a wall-clock wait), then active expiry
 * removes them in the background. Polls DBSIZE until it reaches `target` or stops shrinking
 * for 3 s, at most `boundMs`.
 */
async function settle(redis: Redis, target: number, boundMs: number): Promise<number> {
  await sleep(RETENTION_MS);
  const until = Date.now() + boundMs;
  let last = await redis.dbsize();
  let stableSince = Date.now();
  while (last > target && Date.now() < until && Date.now() - stableSince < 3_000) {
    await sleep(200);
    const n = await redis.dbsize();
    if (n < last) stableSince = Date.now();
    last = n;
  }
  return last;
}

/** The static keys docs/keys.md lists, per shard, while the workers run. */
function staticKeys(keys: Keyspace, transport: 'streams' | 'lists', workers: Worker[]): string[] {
  return keys.shardIds().flatMap((shard) =>
    transport === 'streams'
      ? STAGES.map((s) => keys.queue(shard, s))
      : [...STAGES.map((s) => keys.workers(shard, s)), ...workers.map((w) => keys.heartbeat(shard, w.id))],
  ).sort();
}

describe.each(['streams', 'lists'] as const)('retention over %s', (transport) => {
  it(`after ${EXPERIMENTS} experiments and their retention only the static keys remain`, { timeout: 120_000 }, async () => {
    const server = await startRedis();
    const admin = new Redis(server.url);
    const base = { redisUrl: server.url, transport, shards: SHARDS, prefix: 'bk' };
    const o = new Orchestrator({ ...base, pipeline: PIPELINE });
    const workers = STAGES.map((stage) => new Worker({ ...base, stage, handler: ZERO_WORK[stage], concurrency: 16 }));
    try {
      await o.start();
      for (const w of workers) await w.start();
      const statuses = new Map<string, number>();
      let next = 0;
      const t0 = Date.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < EXPERIMENTS) {
          next += 1;
          const id = await o.submit({ input: { n: next } });
          const state = await o.waitFor(id, 30_000);
          statuses.set(state.status, (statuses.get(state.status) ?? 0) + 1);
        }
      }));
      const runMs = Date.now() - t0;
      expect(Object.fromEntries(statuses)).toEqual({ completed: EXPERIMENTS });

      const expected = staticKeys(o.keys, transport, workers);
      const left = await settle(admin, expected.length, 30_000);
      const keys = await allKeys(admin);
      console.log(`${transport}: ${EXPERIMENTS} experiments in ${runMs} ms; ${left} keys left:\n  ${keys.join('\n  ')}`);
      expect(keys).toEqual(expected);
      expect(await admin.dbsize()).toBe(expected.length);
      for (const w of workers) expect(w.errors).toEqual([]);

      // once every component has stopped, streams keep only the stage streams (empty, their
      // group without consumers); lists keep nothing
      for (const w of workers) await w.stop();
      await o.close();
      const after = await allKeys(admin);
      expect(after).toEqual(transport === 'streams' ? expected : []);
      for (const key of after) {
        expect(await admin.xlen(key)).toBe(0);
        const groups = (await admin.xinfo('GROUPS', key)) as unknown[][];
        expect(groups.map((g) => [g[1], g[3], g[5]])).toEqual([[CONSUMER_GROUP, 0, 0]]);
      }
    } finally {
      for (const w of workers) await w.stop().catch(() => undefined);
      await o.close().catch(() => undefined);
      await admin.quit();
      await server.stop();
    }
  });
});
