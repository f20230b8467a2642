/**
 * `durableWrites: 'replicas'` through a failover: a master of a real local Redis Cluster (3
 * masters, 2 replicas each) is killed (SIGKILL) while a 3-shard pipeline runs; its replica is
 * promoted. Every experiment the core reported completed (an experiment-completed event, emitted
 * only once the commit's WAIT saw a replica hold it) still is completed with its result after the
 * failover — no reported completion is lost — and no fan-in sees a result twice.
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { useCluster } from '../support/cluster.js';
import { retrying } from '../support/retrying.js';

// two replicas per master: after the failover the promoted replica still has one, so commits on
// its shard can be durable again (with one replica each, that shard could make no durable progress)
const c = useCluster({ replicas: 2 });

const SPEC = {
  name: 'durable_failover',
  stages: [
    { name: 'spread', width: 3, timeoutMs: 8_000 },
    { name: 'join', width: 1, timeoutMs: 8_000 },
  ],
};

describe('durable writes through the failover of a master', () => {
  it('kill a master mid-run: every reported completion survives with its result, no result counted twice', async () => {
    const base = {
      redisUrl: c.cluster.nodes[0].url, transport: 'streams' as const, prefix: 'dfo', shards: 3, commandTimeoutMs: 2_000,
      durableWrites: 'replicas' as const, durableTimeoutMs: 500,
    };
    const joined = new Map<string, number[]>();
    const reported = new Set<string>();
    const events = (e: { type: string; experimentId?: string }) => void (e.type === 'experiment-completed' && reported.add(e.experimentId!));
    const o = new Orchestrator({ ...base, pipeline: SPEC, supervisorIntervalMs: 200, events });
    await o.start();
    const slow = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const workers = [
      new Worker({ ...base, stage: 'spread', handler: async (ctx) => { await slow(50); return { output: { part: ctx.index } }; }, concurrency: 4, maintenanceIntervalMs: 200, visibilityTimeoutMs: 2_000, events }),
      new Worker({ ...base, stage: 'join', handler: (ctx) => { joined.set(ctx.experimentId, [...(joined.get(ctx.experimentId) ?? []), ctx.inputs.length]); return { output: { parts: ctx.inputs.length } }; }, concurrency: 4, maintenanceIntervalMs: 200, visibilityTimeoutMs: 2_000, events }),
    ];
    for (const w of workers) await w.start();
    try {
      const ids: string[] = [];
      const submit = (i: number) => retrying(() => o.submit({ id: `dfo-${i}`, input: { i } }), 30_000);
      for (let i = 0; i < 9; i++) ids.push(await submit(i));
      const victim = c.cluster.nodes.find((n) => n.role === 'master' && n.port !== Number(new URL(base.redisUrl).port))!;
      process.kill(victim.pid()!, 'SIGKILL');
      for (let i = 9; i < 18; i++) ids.push(await submit(i));
      const states = await Promise.all(ids.map((id) => retrying(() => o.waitFor(id, 30_000), 60_000).catch((e: Error) => ({ id, status: `did not end: ${e.message}` }))));
      expect(states.map((s) => s.status).filter((s) => s !== 'completed' && s !== 'failed')).toEqual([]);
      expect(reported.size).toBeGreaterThan(0);
      // every completion reported before, during or after the failover is still there, with its result
      // one snapshot: a completion may still be reported while the states are read (a resend confirmed late)
      const snapshot = [...reported];
      const after = await Promise.all(snapshot.map(async (id) => {
        const state = await retrying(() => o.getState(id), 30_000);
        const result = await retrying(() => o.getResult(id), 30_000).catch(() => null);
        return `${id} ${state?.status} ${JSON.stringify(result)}`;
      }));
      expect(after).toEqual(snapshot.map((id) => `${id} completed {"parts":3}`));
      for (const [id, fanIns] of joined) expect(fanIns.every((n) => n === 3), `${id}: ${fanIns}`).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await o.close();
    }
  }, 180_000);
});
