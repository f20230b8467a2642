/**
 * A slot migration mid-run on a real local Redis Cluster (3 masters): the slot of one shard
 * moves to another master (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE of its keys, SETSLOT
 * NODE) while a pipeline runs, so commands and Lua scripts meet ASK, TRYAGAIN and MOVED.
 * Expected: every submit succeeds at its first call (the core retries a script the cluster
 * refuses while the slot moves: CLUSTER_BUSY), every experiment ends (all complete when the
 * machine is idle), each fan-in sees each result once. Found before the core retried: a submit
 * meeting the migration failed with ioredis' raw "Too many Cluster redirections" (TRYAGAIN).
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keys.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { crc16Slot } from '../../src/shard-tags.js';
import { Worker } from '../../src/worker/worker.js';
import { migrateSlot } from '../../harness/redis/cluster-slot-migration.js';
import { keysPerMaster, useCluster } from '../support/cluster.js';

const c = useCluster();

/** How long the slot stays half-migrated after its first keys moved (ms). */
const HALF_MIGRATED_MS = 3_000;

const SPEC = { name: 'migrate', stages: [{ name: 'spread', width: 3, timeoutMs: 30_000 }, { name: 'join', width: 1, timeoutMs: 30_000 }] };

async function node(port: number): Promise<Redis> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  await r.connect();
  return r;
}

describe('slot migration mid-run', () => {
  it('the slot of shard 0 moves to another master while experiments run: all complete, fan-ins exact', async () => {
    const base = { redisUrl: c.cluster.nodes[0].url, transport: 'streams' as const, prefix: 'mig', shards: 3 };
    const fanIns: number[] = [];
    const submittedEvents: string[] = [];
    const o = new Orchestrator({ ...base, pipeline: SPEC, supervisorIntervalMs: 200, events: (e) => void (e.type === 'submitted' && submittedEvents.push(e.experimentId!)) });
    await o.start();
    const slow = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const workers = [
      new Worker({ ...base, stage: 'spread', handler: async (ctx) => { await slow(20); return { output: { part: ctx.index } }; }, concurrency: 4, maintenanceIntervalMs: 200 }),
      new Worker({ ...base, stage: 'join', handler: (ctx) => { fanIns.push(ctx.inputs.length); return { output: { n: ctx.inputs.length } }; }, concurrency: 4, maintenanceIntervalMs: 200 }),
    ];
    for (const w of workers) await w.start();
    try {
      const keys = new Keyspace({ prefix: 'mig', shards: 3 });
      const slot = crc16Slot(keys.queue(0, 'spread'));
      const owner = c.masters[Math.floor((slot * c.masters.length) / 16_384)];
      const target = c.masters.find((p) => p !== owner)!;
      // no retry here: the core itself must get every submit through the migration; half the
      // submits name their id, half let the core generate one (a retry must not make a second)
      const submitted = Promise.allSettled(Array.from({ length: 60 }, (_, i) => slow(i * 50).then(() => o.submit({ id: i < 30 ? `mig-${i}` : undefined, input: { i } }))));
      await slow(150);
      const moved = await migrateSlot({ slot, from: owner, to: target, masters: c.masters, holdFirstMs: HALF_MIGRATED_MS });
      const results = await submitted;
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const ids = results.map((r) => (r as PromiseFulfilledResult<string>).value);
      expect(new Set(ids).size).toBe(60);
      // exactly once: one 'submitted' event per id, and 60 experiments in Redis
      expect(submittedEvents.sort()).toEqual([...ids].sort());
      expect([...(await keysPerMaster(c.masters, 'mig:*:exp:*')).values()].reduce((a, b) => a + b, 0)).toBe(60);
      const states = await Promise.all(ids.map((id) => o.waitFor(id, 60_000)));
      // every experiment completes: the core retried what the cluster refused mid-migration
      expect(states.filter((s) => s.status !== 'completed').map((s) => `${s.id} ${s.status} at ${s.failedStage}: ${s.cause}`)).toEqual([]);
      expect(fanIns.every((n) => n === 3)).toBe(true);
      expect(moved).toBeGreaterThan(0);
      const dst = await node(target);
      expect(await dst.exists(keys.queue(0, 'spread'))).toBe(1); // shard 0 now lives on the target
      dst.disconnect();
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await o.close();
    }
  }, 180_000);
});
