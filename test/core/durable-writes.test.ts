/**
 * `durableWrites: 'replicas'` on a single server (real redis-servers: a master, and a replica
 * started here): a commit is reported done only once a replica holds it. Without a replica the
 * submit fails NOT_DURABLE (it committed on the master; the id is named for a resubmit); with one,
 * every experiment-completed a worker reports is already on the replica when it is reported.
 * On a Redis Cluster with a failover: cluster-failover.test.ts.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaninError } from '../../src/errors.js';
import { Keyspace } from '../../src/keys.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { EventWatch, ofType } from '../support/event-watch.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let master: TestRedis;
let replicaServer: TestRedis;
let replica: Redis;

beforeAll(async () => {
  [master, replicaServer] = [await startRedis(), await startRedis()];
}, 30_000);
afterAll(async () => {
  replica?.disconnect();
  await replicaServer?.stop();
  await master?.stop();
});

const SPEC = { name: 'dur', stages: [{ name: 'spread', width: 3 }, { name: 'join', width: 1 }] };
const durable = { durableWrites: 'replicas' as const, durableReplicas: 1, durableTimeoutMs: 100 };

describe('durableWrites: replicas', () => {
  it('a WAIT timeout at or above the command timeout is a ConfigError', () => {
    expect(() => new Orchestrator({ redisUrl: master.url, ...durable, durableTimeoutMs: 5_000, commandTimeoutMs: 5_000 }))
      .toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('no replica: the submit commits on the master but fails NOT_DURABLE, naming the id', async () => {
    const o = new Orchestrator({ redisUrl: master.url, prefix: 'dur0', pipeline: SPEC, supervise: false, ...durable });
    await o.start();
    try {
      const err = await o.submit({ input: { x: 1 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FaninError);
      expect((err as FaninError).code).toBe('NOT_DURABLE');
      expect((err as FaninError).context).toMatchObject({ acknowledged: 0, required: 1 });
      expect((err as FaninError).message).toContain(`resubmit experiment ${(err as FaninError).context.experimentId as string}`);
      const id = (err as FaninError).context.experimentId as string;
      expect((await o.getState(id))?.status).toBe('running');
    } finally {
      await o.close();
    }
  });

  it('with a replica: every experiment a worker reports completed is on the replica when reported', async () => {
    replica = new Redis(replicaServer.url);
    const port = Number(new URL(master.url).port);
    await replica.replicaof('127.0.0.1', port);
    while (!/master_link_status:up/.test(await replica.info('replication'))) await new Promise((r) => setTimeout(r, 50));
    const base = { redisUrl: master.url, prefix: 'dur1', ...durable };
    const keys = new Keyspace({ prefix: 'dur1', shards: 1 });
    const onReplica: string[] = [];
    const watch = new EventWatch();
    const o = new Orchestrator({ ...base, pipeline: SPEC });
    const workers = [
      new Worker({ ...base, stage: 'spread', handler: (ctx) => ({ output: ctx.index }) }),
      new Worker({
        ...base, stage: 'join', handler: (ctx) => ({ output: ctx.inputs.length }),
        // at the moment it is reported, the completion must already be on the replica
        events: (e) => {
          watch.sink(e);
          if (e.type === 'experiment-completed') void replica.hget(keys.experiment(e.experimentId!), 'status').then((s) => onReplica.push(`${e.experimentId} ${s}`));
        },
      }),
    ];
    await o.start();
    for (const w of workers) await w.start();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await o.submit({ input: { i } }));
      for (const id of ids) expect((await o.waitFor(id, 20_000)).status).toBe('completed');
      expect(await watch.atLeast(ofType('experiment-completed'), 5, 20_000)).toBe(true);
      while (onReplica.length < 5) await new Promise((r) => setTimeout(r, 10));
      expect(onReplica.sort()).toEqual(ids.map((id) => `${id} completed`).sort());
    } finally {
      for (const w of workers) await w.stop();
      await o.close();
    }
  }, 60_000);
});
