/**
 * Red-team review of issue 15 on a cluster: a healthy fanin keyspace made for real (an
 * orchestrator and workers, 3 shards over 3 masters, both transports, every experiment completed
 * and the components stopped cleanly) gives no warning and no critical finding. The fanin
 * keyspace spreads over the masters by its shard tags, so each master holds only part of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { Orchestrator, Worker } from '../../../src/index.js';
import { useCluster } from '../../support/cluster.js';

const c = useCluster();
let report: AuditReport;

const SPEC = { name: 'two_step', stages: [{ name: 'spread', width: 3, timeoutMs: 60_000 }, { name: 'join', width: 1, timeoutMs: 60_000 }] };

async function healthyRun(url: string, transport: 'streams' | 'lists'): Promise<void> {
  const base = { redisUrl: url, transport, prefix: `hf-${transport}`, shards: 3 };
  const o = new Orchestrator({ ...base, pipeline: SPEC });
  await o.start();
  const workers = [
    new Worker({ ...base, stage: 'spread', handler: (ctx) => ({ output: { part: ctx.index } }), concurrency: 2, maintenanceIntervalMs: 100 }),
    new Worker({ ...base, stage: 'join', handler: (ctx) => ({ output: { parts: ctx.inputs.length } }), concurrency: 2, maintenanceIntervalMs: 100 }),
  ];
  try {
    for (const w of workers) await w.start();
    const ids = await Promise.all(Array.from({ length: 9 }, (_, i) => o.submit({ input: { i } })));
    const states = await Promise.all(ids.map((id) => o.waitFor(id, 60_000)));
    expect(states.map((s) => s.status)).toEqual(ids.map(() => 'completed'));
  } finally {
    for (const w of workers) await w.stop();
    await o.close();
  }
}

beforeAll(async () => {
  const url = `redis://127.0.0.1:${c.masters[0]}`;
  await healthyRun(url, 'streams');
  await healthyRun(url, 'lists');
  report = await runAudit({ redis: url });
}, 120_000);

describe('a healthy fanin keyspace on a cluster', () => {
  it('lists each keyspace once with its 9 experiments', () => {
    expect(report.faninKeyspaces.map((k) => [k.prefix, k.experiments]).sort()).toEqual([['hf-lists', 9], ['hf-streams', 9]]);
  });

  it('is recognised on every master and gives no warning or critical finding', () => {
    expect(report.faninKeyspaces.map((k) => k.prefix).sort()).toEqual(expect.arrayContaining(['hf-lists', 'hf-streams']));
    expect(report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code}: ${f.title}`)).toEqual([]);
  });
});
