import { describe, expect, it } from 'vitest';
import { executionsChecker } from '../../../harness/checkers/executions.js';
import { indexHolds, lapseBefore } from '../../../harness/checkers/lease-lapse.js';
import type { CheckerInput } from '../../../harness/checkers/types.js';
import type { HistoryEvent } from '../../../harness/history/types.js';

let seq = 0;
const ev = (e: Partial<HistoryEvent> & { type: string; ts: number; pid: number }): HistoryEvent =>
  ({ seq: ++seq, kind: 'info', component: 'worker', stage: 'only', experimentId: 'e', ...e }) as HistoryEvent;

/** Worker 1 holds task e/0/0 and runs its agent; worker 2 takes it over at t=2000 while it still runs. */
function overlap(renewalsOf1: number[]): HistoryEvent[] {
  seq = 0;
  return [
    ev({ type: 'claimed', ts: 0, pid: 1, workerId: 'w1', taskId: 'e/0/0' }),
    ev({ type: 'agent-started', ts: 10, pid: 1, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
    ...renewalsOf1.map((ts) => ev({ type: 'lease-renewed', ts, pid: 1, workerId: 'w1', taskId: 'e/0/0' })),
    ev({ type: 'claimed', ts: 2000, pid: 2, workerId: 'w2', taskId: 'e/0/0' }),
    ev({ type: 'agent-started', ts: 2010, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
    ev({ type: 'agent-ended', ts: 2500, pid: 1, taskId: 'e/0/0', stageIndex: 0, attempt: 1, outcome: 'ok' } as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
    ev({ type: 'agent-ended', ts: 2600, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 1, outcome: 'ok' } as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
  ];
}

const input = (history: HistoryEvent[], leaseMs?: number): CheckerInput =>
  ({ history, health: {} as CheckerInput['health'], expect: { stages: ['only'], fanInStages: [], deadLetterExpected: false, leaseMs }, experiments: ['e'] }) as unknown as CheckerInput;

describe('lease lapses', () => {
  it('a process silent on a task for more than a lease before another took it had stalled past it', () => {
    const holds = indexHolds(overlap([200, 400]));
    expect(lapseBefore(holds, 1, 'e/0/0', 2010, 800)).toBe(1610);
    expect(lapseBefore(holds, 1, 'e/0/0', 2010, 2000)).toBeNull();
    expect(lapseBefore(holds, 1, 'e/0/0', 2010, undefined)).toBeNull();
  });

  it('executions: an overlap after the first worker stalled past its lease is counted apart, not a violation', () => {
    const r = executionsChecker.check(input(overlap([200, 400]), 800));
    expect(r.valid).toBe(true);
    expect(r.metrics).toMatchObject({ 'executions.overlapping': 0, 'executions.after_stall': 1 });
  });

  it('executions: an overlap while the first worker kept renewing is a violation (a live worker lost its task)', () => {
    const r = executionsChecker.check(input(overlap([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]), 800));
    expect(r.valid).toBe(false);
    expect(r.metrics).toMatchObject({ 'executions.overlapping': 1, 'executions.after_stall': 0 });
  });

  it('executions: without a known lease nothing is excused', () => {
    expect(executionsChecker.check(input(overlap([200, 400]))).valid).toBe(false);
  });

  /** Worker 1 runs task e/0/0 and succeeds; worker 2 claims it at 5000 and runs it again. */
  function rerun(firstCompleted: boolean): HistoryEvent[] {
    seq = 0;
    const ended = { type: 'agent-ended', outcome: 'ok', stageIndex: 0, attempt: 1, taskId: 'e/0/0' };
    return [
      ev({ type: 'claimed', ts: 0, pid: 1, workerId: 'w1', taskId: 'e/0/0' }),
      ev({ type: 'agent-started', ts: 10, pid: 1, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
      ev({ type: 'lease-renewed', ts: 200, pid: 1, workerId: 'w1', taskId: 'e/0/0' }),
      ev({ ...ended, ts: 300, pid: 1 } as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
      ...(firstCompleted ? [ev({ type: 'completed', ts: 310, pid: 1, workerId: 'w1', taskId: 'e/0/0', stageIndex: 0, index: 0, attempt: 1 })] : []),
      ev({ type: 'claimed', ts: 5000, pid: 2, workerId: 'w2', taskId: 'e/0/0' }),
      ev({ type: 'agent-started', ts: 5010, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 2 }),
      ev({ ...ended, ts: 5100, pid: 2, attempt: 2 } as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
    ];
  }

  it('executions: a re-run of a task its first process had completed is a duplicate, however long that process then stayed silent on it', () => {
    const r = executionsChecker.check(input(rerun(true), 800));
    expect(r.valid).toBe(false);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 1, 'executions.after_stall': 0 });
  });

  it('executions: a re-run after a stalled process succeeded without its completion counting is counted apart', () => {
    const r = executionsChecker.check(input(rerun(false), 800));
    expect(r.valid).toBe(true);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 0, 'executions.after_stall': 1 });
  });

  it('executions: a process that stayed live (renewing its other tasks) lost a task it stopped renewing: not a stall', () => {
    const history = overlap([200, 400]);
    // pid 1 also holds e/0/1 and renews it every 200 ms throughout: it never stalled
    const live = [600, 800, 1000, 1200, 1400, 1600, 1800].map((ts) => ev({ type: 'lease-renewed', ts, pid: 1, workerId: 'w1', taskId: 'e/0/1' }));
    const all = [...history, ...live].sort((x, y) => x.ts - y.ts);
    const r = executionsChecker.check(input(all, 800));
    expect(r.metrics).toMatchObject({ 'executions.overlapping': 1, 'executions.after_stall': 0 });
  });

  it('executions: a pause long before an overlap excuses nothing', () => {
    seq = 0;
    const pause = { kind: 'worker-pause', effects: { paused: [{ pid: 1, from: 100, to: 300 }] } };
    const history = [
      ev({ type: 'nemesis', ts: 100, pid: 99, component: 'nemesis', fault: pause } as unknown as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
      ev({ type: 'claimed', ts: 5000, pid: 1, workerId: 'w1', taskId: 'e/0/0' }),
      ev({ type: 'agent-started', ts: 5010, pid: 1, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
      ...[5200, 5400, 5600, 5800, 6000, 6200].map((ts) => ev({ type: 'lease-renewed', ts, pid: 1, workerId: 'w1', taskId: 'e/0/0' })),
      ev({ type: 'claimed', ts: 6000, pid: 2, workerId: 'w2', taskId: 'e/0/0' }),
      ev({ type: 'agent-started', ts: 6010, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
      ev({ type: 'agent-ended', ts: 6300, pid: 1, taskId: 'e/0/0', stageIndex: 0, attempt: 1, outcome: 'ok' } as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
      ev({ type: 'agent-ended', ts: 6400, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 1, outcome: 'ok' } as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
    ];
    const r = executionsChecker.check(input(history, 800));
    expect(r.metrics).toMatchObject({ 'executions.overlapping': 1, 'executions.overlapping_after_fault': 0 });
  });

  it('executions: a pause excuses nothing for an execution the paused process started after it and kept renewing', () => {
    seq = 0;
    const pause = { kind: 'worker-pause', effects: { paused: [{ pid: 1, from: 100, to: 300 }] } };
    const ended = (ts: number, pid: number) => ev({ type: 'agent-ended', ts, pid, taskId: 'e/0/0', stageIndex: 0, attempt: 1, outcome: 'ok' } as Partial<HistoryEvent> & { type: string; ts: number; pid: number });
    const history = [
      ev({ type: 'nemesis', ts: 300, pid: 99, component: 'nemesis', fault: pause } as unknown as Partial<HistoryEvent> & { type: string; ts: number; pid: number }),
      ev({ type: 'claimed', ts: 400, pid: 1, workerId: 'w1', taskId: 'e/0/0' }),
      ev({ type: 'agent-started', ts: 410, pid: 1, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
      ...Array.from({ length: 39 }, (_, i) => ev({ type: 'lease-renewed', ts: 600 + i * 200, pid: 1, workerId: 'w1', taskId: 'e/0/0' })),
      ev({ type: 'claimed', ts: 5000, pid: 2, workerId: 'w2', taskId: 'e/0/0' }),
      ev({ type: 'agent-started', ts: 5010, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }),
      ended(8000, 1), ended(8100, 2),
    ].sort((x, y) => x.ts - y.ts);
    const r = executionsChecker.check(input(history, 800));
    expect(r.metrics).toMatchObject({ 'executions.overlapping': 1, 'executions.overlapping_after_fault': 0 });
  });

  it('executions: a process silent for three quarters of a lease (past its last renewal and the next) stalled past its lease', () => {
    seq = 0;
    // pid 1's agent runs from 10 to 2500; pid 2's takeover is moved to 1250
    const history = overlap([200, 400]).filter((e) => e.pid === 1);
    // pid 1 recorded something at 550, then nothing until pid 2 reclaimed at 1250 (its lease lapsed at 1200)
    history.push(ev({ type: 'lease-renewed', ts: 550, pid: 1, workerId: 'w1', taskId: 'e/0/1' }));
    history.push(ev({ type: 'claimed', ts: 1250, pid: 2, workerId: 'w2', taskId: 'e/0/0' }));
    history.push(ev({ type: 'agent-started', ts: 1260, pid: 2, taskId: 'e/0/0', stageIndex: 0, attempt: 1 }));
    const r = executionsChecker.check(input(history.sort((x, y) => x.ts - y.ts), 800));
    expect(r.metrics).toMatchObject({ 'executions.overlapping': 0, 'executions.after_stall': 1 });
  });
});
