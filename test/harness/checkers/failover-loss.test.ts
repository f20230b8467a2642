/**
 * executions with `lostWrites: 'at-failover'`: a task whose success ended before a cluster
 * master was killed may run again after it (the success's writes may have died with the master);
 * any other re-run of a succeeded task stays a duplicate.
 */
import { describe, expect, it } from 'vitest';
import { executionsChecker } from '../../../harness/checkers/executions.js';
import type { CheckerInput } from '../../../harness/checkers/types.js';
import type { HistoryEvent } from '../../../harness/history/types.js';

type Ev = Partial<HistoryEvent> & { type: string; ts: number; pid: number };
let seq = 0;
const ev = (e: Ev): HistoryEvent => ({ seq: ++seq, kind: 'info', component: 'worker', stage: 'only', experimentId: 'e', ...e }) as HistoryEvent;

/** Worker 1 succeeds on e/0/0 (ends at 300); a master is killed at `killedAt`; worker 2 runs the task again at 5010. */
function rerunAround(killedAt: number | null, counted = true): HistoryEvent[] {
  seq = 0;
  const ended = { type: 'agent-ended', outcome: 'ok', stageIndex: 0, taskId: 'e/0/0' };
  return [
    ev({ type: 'claimed', ts: 0, pid: 1, workerId: 'w1', taskId: 'e/0/0' }),
    ev({ type: 'agent-started', ts: 10, pid: 1, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
    ev({ ...ended, ts: 300, pid: 1, attempt: 1 } as Ev),
    ...(counted ? [ev({ type: 'completed', ts: 310, pid: 1, workerId: 'w1', taskId: 'e/0/0', stageIndex: 0, index: 0, attempt: 1 })] : []),
    ...(killedAt === null ? [] : [ev({
      type: 'nemesis', kind: 'info', component: 'harness', ts: killedAt + 3000, pid: 0, experimentId: undefined,
      fault: { fault: 'cluster-failover', spec: 0, ok: true, startedAt: killedAt, endedAt: killedAt + 3000, effects: { failover: [{ port: 7000, killedAt, promotedAt: killedAt + 2500 }] } },
    } as Ev)]),
    // worker 1 stays live meanwhile (it renews the lease of another task on another shard)
    ...Array.from({ length: 23 }, (_, i) => ev({ type: 'lease-renewed', ts: 400 + i * 200, pid: 1, workerId: 'w1', taskId: 'e/0/9' })),
    ev({ type: 'claimed', ts: 5000, pid: 2, workerId: 'w2', taskId: 'e/0/0' }),
    ev({ type: 'agent-started', ts: 5010, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
    ev({ ...ended, ts: 5100, pid: 2, attempt: 1 } as Ev),
  ];
}

const input = (history: HistoryEvent[], lostWrites: boolean): CheckerInput =>
  ({
    history, health: {} as CheckerInput['health'], experiments: ['e'],
    expect: { stages: ['only'], fanInStages: [], deadLetterExpected: false, leaseMs: 800, handling: lostWrites ? { lostWrites: 'at-failover' } : {} },
  }) as unknown as CheckerInput;

describe('executions after a cluster failover', () => {
  it('a re-run of a task that succeeded before the master was killed is excused when the scenario allows lost writes', () => {
    const r = executionsChecker.check(input(rerunAround(1000), true));
    expect(r.valid).toBe(true);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 0, 'executions.after_failover': 1 });
    expect(r.summary).toMatch(/1 again after a failover lost the success/);
  });

  it('the same re-run is a duplicate when the scenario does not allow lost writes', () => {
    const r = executionsChecker.check(input(rerunAround(1000), false));
    expect(r.valid).toBe(false);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 1, 'executions.after_failover': 0 });
  });

  it('a success that ended after the kill cannot have been lost with the master: its re-run is a duplicate', () => {
    const r = executionsChecker.check(input(rerunAround(100), true));
    expect(r.valid).toBe(false);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 1, 'executions.after_failover': 0 });
  });

  it('a success that ended while the master was down (before the promotion) and was never counted: its re-run is excused', () => {
    // the completion could not be written (the shard had no master), the lease lapsed meanwhile
    const r = executionsChecker.check(input(rerunAround(100, false), true));
    expect(r.valid).toBe(true);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 0, 'executions.after_failover': 1 });
  });

  it('a success that ended after the promotion is never excused, counted or not', () => {
    const r = executionsChecker.check(input(rerunAround(-3000, false), true));
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 1, 'executions.after_failover': 0 });
  });

  it('without a failover in the history nothing is excused', () => {
    const r = executionsChecker.check(input(rerunAround(null), true));
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 1, 'executions.after_failover': 0 });
  });
});
