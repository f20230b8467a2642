/**
 * A master of a real local Redis Cluster (3 masters, 1 replica each) is killed (SIGKILL) while
 * a pipeline with 3 shards runs; its replica is promoted (cluster-node-timeout 2 s). Expected:
 * every experiment still ends (completed, or failed by its stage deadline when a write the
 * dead master had acknowledged never reached the replica), and no task result is counted twice.
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { useCluster } from '../support/cluster.js';
import { retrying } from '../support/retrying.js';

const c = useCluster({ replicas: 1 });

const SPEC = {
  name: 'failover',
  stages: [
    { name: 'spread', width: 3, timeoutMs: 8_000 },
    { name: 'join', width: 1, timeoutMs: 8_000 },
  ],
};


describe('failover of a master', () => {
  it('kill a master with a replica mid-run: every experiment ends, no result counted twice', async () => {
    const base = { redisUrl: c.cluster.nodes[0].url, transport: 'streams' as const, prefix: 'fo', shards: 3, commandTimeoutMs: 2_000 };
    const joined = new Map<string, number[]>();
    const o = new Orchestrator({ ...base, pipeline: SPEC, supervisorIntervalMs: 200 });
    await o.start();
    const slow = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const workers = [
      new Worker({ ...base, stage: 'spread', handler: async (ctx) => { await slow(50); return { output: { part: ctx.index } }; }, concurrency: 4, maintenanceIntervalMs: 200, visibilityTimeoutMs: 2_000 }),
      new Worker({ ...base, stage: 'join', handler: (ctx) => { joined.set(ctx.experimentId, [...(joined.get(ctx.experimentId) ?? []), ctx.inputs.length]); return { output: { parts: ctx.inputs.length } }; }, concurrency: 4, maintenanceIntervalMs: 200, visibilityTimeoutMs: 2_000 }),
    ];
    for (const w of workers) await w.start();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(await o.submit({ id: `fo-${i}`, input: { i } }));
      const victim = c.cluster.nodes.find((n) => n.role === 'master' && n.port !== Number(new URL(base.redisUrl).port))!;
      process.kill(victim.pid()!, 'SIGKILL');
      for (let i = 6; i < 12; i++) {
        ids.push(await retrying(() => o.submit({ id: `fo-${i}`, input: { i } }), 30_000));
      }
      const states = await Promise.all(ids.map((id) => retrying(() => o.waitFor(id, 30_000), 60_000).catch((e: Error) => ({ status: `${id} did not end: ${e.message}` }))));
      expect(states.map((s) => s.status).filter((s) => s !== 'completed' && s !== 'failed')).toEqual([]);
      // the join may run again (a re-execution after a lost acknowledgement is allowed), but it
      // always sees each of the 3 results exactly once: no result is counted twice
      for (const [id, fanIns] of joined) expect(fanIns.every((n) => n === 3), `${id}: ${fanIns}`).toBe(true);
      expect(states.filter((s) => s.status === 'completed').length).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await o.close();
    }
  }, 180_000);
});
