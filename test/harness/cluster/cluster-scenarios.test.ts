/**
 * The cluster fault scenarios of the catalog, 2 runs each on streams, each on its own local
 * Redis Cluster (setup.cluster): the expected verdict with concrete evidence from the nemesis
 * record. Also the configuration errors: a cluster scenario given --redis, and a fault-proxy
 * scenario on a cluster, are INVALID_CONFIG naming the fix.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../harness/runner/diagnose.js';
import type { DiagnoseRun } from '../../../harness/runner/diagnose.js';

async function run(scenario: string): Promise<{ r: DiagnoseRun; fault: string }> {
  const r = await diagnose({ scenario, transport: 'streams', runs: 2 });
  const faults = r.history.filter((e) => e.type === 'nemesis');
  expect(faults).toHaveLength(1);
  return { r, fault: faults[0].cause ?? '' };
}

const passed = (r: DiagnoseRun) => ({ passed: r.results.verdict.passed, reasons: r.results.verdict.reasons });

describe('cluster fault scenarios', () => {
  it('cluster-node-restart (AOF): the master comes back with its data; pass, nothing lost or doubled', async () => {
    const { r, fault } = await run('cluster-node-restart');
    expect(fault).toMatch(/^cluster-node-restart: SIGKILL cluster master 127\.0\.0\.1:\d+ \(pid \d+, serving slot \d+ of shard 0, persistence aof\); restarted as pid \d+/);
    expect(passed(r)).toEqual({ passed: true, reasons: [] });
    expect(r.results.metrics).toMatchObject({ completion_rate: 1, lost: 0, duplicates: 0, 'executions.duplicate': 0, pending: 0 });
  }, 180_000);

  it('cluster-slot-migration: keys moved while clients met ASK/TRYAGAIN/MOVED; pass, every experiment completes once', async () => {
    const { r, fault } = await run('cluster-slot-migration');
    const m = /: (\d+) key\(s\) in batches of 5; the source answered ASK (\d+), TRYAGAIN (\d+), MOVED (\d+)/.exec(fault);
    expect(m, fault).not.toBeNull();
    const [moved, ask, tryagain, movedReplies] = m!.slice(1).map(Number);
    expect(moved).toBeGreaterThan(0);
    expect(ask + tryagain + movedReplies).toBeGreaterThan(0);
    expect(passed(r)).toEqual({ passed: true, reasons: [] });
    expect(r.results.metrics).toMatchObject({ completion_rate: 1, lost: 0, duplicates: 0, 'executions.duplicate': 0, pending: 0 });
  }, 180_000);

  it('cluster-failover: the replica is promoted; pass: every experiment ends, no result counted twice', async () => {
    const { r, fault } = await run('cluster-failover');
    expect(fault).toMatch(/replica 127\.0\.0\.1:\d+ promoted after \d+ ms; old master restarted as pid \d+ \(now a replica\)/);
    expect(passed(r)).toEqual({ passed: true, reasons: [] });
    expect(r.results.metrics).toMatchObject({ timed_out: 0, duplicates: 0, 'executions.duplicate': 0, 'fan_in_violations': 0 });
  }, 180_000);
});

describe('cluster configuration errors', () => {
  it('a cluster scenario with --redis or another provider: INVALID_CONFIG naming the flag to drop', async () => {
    await expect(diagnose({ scenario: 'cluster-failover', redis: 'redis://127.0.0.1:1', runs: 1 }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/starts its own local Redis Cluster .* drop --redis/) });
    await expect(diagnose({ scenario: 'cluster-node-restart', provider: 'embedded', runs: 1 }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/drop --provider embedded .* or give --provider cluster/) });
  });

  it('a fault-proxy scenario on a cluster: INVALID_CONFIG saying redirections bypass the proxy', async () => {
    await expect(diagnose({ scenario: 'net-latency', provider: 'cluster', runs: 1 }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/fault proxy .* MOVED\/ASK redirections .* Run it on a single server/) });
  });
});
