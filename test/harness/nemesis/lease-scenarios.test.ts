/**
 * The issue-9 scenarios, beyond their verdict (scenarios.test.ts): what each one must have
 * exercised, read from the history — leases renewed and never overlapping under long agents,
 * graceful stops that exit 0 with every task in hand finished, and a backlog larger than the
 * stream cap queued before any analyse worker existed.
 */
import { describe, expect, it } from 'vitest';
import { catalogLines } from '../../../harness/runner/matrix.js';
import { diagnose } from '../../../harness/runner/diagnose.js';
import { loadScenario } from '../../../harness/scenario/load-scenario.js';

describe('the issue-9 scenarios in the catalog', () => {
  it('are listed, expecting pass', async () => {
    const lines = await catalogLines();
    for (const name of ['long-agent', 'graceful-restart', 'backlog']) {
      expect(lines.find((l) => l.startsWith(`${name} `))).toMatch(/expect pass /);
    }
  });

  it('long tasks last several leases; backlog caps streams below its fan-out', async () => {
    for (const name of ['long-agent', 'graceful-restart']) {
      const s = await loadScenario(name);
      const slow = s.setup.agentFaults.find((f) => f.stage === 'widestFanOut' && f.kind === 'slow');
      expect(slow).toMatchObject({ index: 'all' });
      expect(slow!.ms).toBeGreaterThanOrEqual(3 * s.setup.visibilityTimeoutMs!);
      expect(slow!.ms).toBeGreaterThanOrEqual(3 * s.setup.heartbeatTtlMs!);
      expect(s.setup.workerMode).toBe('process');
      expect(s.expect.exclusiveExecution).toBe(true);
    }
    const b = await loadScenario('backlog');
    expect(b.setup).toMatchObject({ maxStreamLength: 100, workersStartAfterSubmit: true });
    expect(14 * b.workload.corpusCopies / b.workload.batchSize).toBeGreaterThan(100);
  });
});

describe.each(['streams', 'lists'] as const)('issue-9 scenarios over %s', (transport) => {
  it('long-agent: live workers renew their leases, no task runs in two live workers', async () => {
    const { results, history } = await diagnose({ scenario: 'long-agent', transport, runs: 3 });
    expect(results.metrics).toMatchObject({ overlapping_executions: 0, lost: 0, completion_rate: 1 });
    expect(history.some((e) => e.type === 'lease-renewed' && e.stage === 'analyse_batch')).toBe(true);
    expect(history.filter((e) => e.type === 'nemesis').map((e) => e.cause)).toEqual([expect.stringMatching(/^worker-kill: SIGKILL worker analyse_batch#/)]);
  }, 60_000);

  it('graceful-restart: each SIGTERMed worker exits 0 with every task in hand finished, and is restarted', async () => {
    const { results, history } = await diagnose({ scenario: 'graceful-restart', transport, runs: 3 });
    const faults = history.filter((e) => e.type === 'nemesis').map((e) => e.cause ?? '');
    expect(faults).toHaveLength(2);
    for (const f of faults) expect(f).toMatch(/^worker-term: SIGTERM worker analyse_batch#\d \(pid \d+\) holding \d+ tasks?: exited 0 after \d+ ms, every task in hand finished; restarted as pid \d+/);
    expect(faults.some((f) => !/holding 0 tasks/.test(f))).toBe(true);
    expect(results.metrics).toMatchObject({ overlapping_executions: 0, lost: 0, duplicates: 0, completion_rate: 1 });
    expect(results.verdict.reasons).toEqual([]);
  }, 60_000);

  it('backlog: over 100 analyse tasks queue before the first analyse claim, none is lost', async () => {
    const { results, history } = await diagnose({ scenario: 'backlog', transport, runs: 3 });
    const firstClaim = history.find((e) => e.type === 'claimed' && e.stage === 'analyse_batch');
    const firstWorker = history.find((e) => e.type === 'worker-started');
    const lastSubmit = history.filter((e) => e.type === 'submitted').at(-1);
    expect(firstWorker!.seq).toBeGreaterThan(lastSubmit!.seq);
    const queued = history.filter((e) => e.type === 'enqueued' && e.stageIndex === 1 && e.seq < firstClaim!.seq);
    expect(queued.length).toBeGreaterThan(100);
    expect(results.metrics).toMatchObject({ lost: 0, completion_rate: 1, pending: 0 });
  }, 60_000);
});
