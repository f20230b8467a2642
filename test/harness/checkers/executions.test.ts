import { describe, expect, it } from 'vitest';
import { duplicatesChecker } from '../../../harness/checkers/duplicate-effects.js';
import { executionsChecker } from '../../../harness/checkers/executions.js';
import type { NemesisRecord } from '../../../harness/history/types.js';
import { ack, claim, complete, completedExperiment, ev, history, inputOf, tid } from './build-history.js';

const exp = 'e1';
const T = tid(exp, 1, 0);
const started = (pid: number, ts: number, attempt = 1) => ev('agent-started', { pid, ts, experimentId: exp, stage: 'analyse_batch', stageIndex: 1, index: 0, taskId: T, attempt });
const ended = (pid: number, ts: number, outcome: 'ok' | 'threw' | 'timed-out' | 'aborted', attempt = 1) =>
  ev('agent-ended', { pid, ts, experimentId: exp, stage: 'analyse_batch', stageIndex: 1, index: 0, taskId: T, attempt, outcome });
const nemesis = (fault: NemesisRecord, ts: number) => ev('nemesis', { ts, component: 'harness', cause: fault.fault, fault });

describe('executions checker', () => {
  it('is valid when each task ran once, and counts the executions', () => {
    const h = history(completedExperiment(exp), started(7, 5000), ended(7, 5010, 'ok'));
    const r = executionsChecker.check(inputOf(h, [exp]));
    expect(r).toMatchObject({ valid: true, metrics: { 'executions.total': 1, 'executions.duplicate': 0, 'executions.overlapping': 0 } });
  });

  it('a retry after a failed execution is neither a duplicate nor an overlap', () => {
    const h = history(completedExperiment(exp), started(7, 5000), ended(7, 5010, 'threw'), started(8, 5100, 2), ended(8, 5110, 'ok', 2));
    expect(executionsChecker.check(inputOf(h, [exp])).metrics).toMatchObject({ 'executions.duplicate': 0, 'executions.overlapping': 0 });
  });

  it('an agent run again after it succeeded is a duplicate execution — invisible to the duplicates checker (only counted completions)', () => {
    // worker 8 ran the agent again after worker 7's success; its completion was ignored as a duplicate
    const h = history(
      completedExperiment(exp),
      started(7, 5000), ended(7, 5010, 'ok'),
      { ...claim(exp, 1, 0, 'w-8'), pid: 8 }, started(8, 5100), ended(8, 5110, 'ok'),
      ev('duplicate-ignored', { pid: 8, experimentId: exp, taskId: T, workerId: 'w-8', cause: 'duplicate' }),
    );
    expect(duplicatesChecker.check(inputOf(h, [exp])).valid).toBe(true);
    const r = executionsChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 1, 'executions.overlapping': 0 });
    expect(r.evidence[0]).toMatchObject({ experimentId: exp, stage: 'analyse_batch', taskId: T });
    expect(r.evidence[0].message).toMatch(/^task e1\/1\/0 \(analyse_batch\): agent ran again by pid 8 \(w-8\) \(attempt 1\) at seq \d+ after pid 7 had succeeded/);
  });

  it('an execution started while a live worker still ran the task is an overlap', () => {
    const h = history(completedExperiment(exp), started(7, 5000), started(8, 5500), ended(8, 5600, 'ok'), ended(7, 6000, 'aborted'));
    const r = executionsChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toMatchObject({ 'executions.duplicate': 0, 'executions.overlapping': 1 });
    expect(r.evidence[0].message).toMatch(/pid 8 started the agent \(attempt 1\) at seq \d+ while pid 7 still ran it .* ended aborted .*; no fault had stopped pid 7$/);
  });

  it('the same overlap is no violation when the nemesis had paused the first worker (worker-pause)', () => {
    const pause: NemesisRecord = { fault: 'worker-pause', spec: 0, ok: true, startedAt: 5100, endedAt: 7600, effects: { paused: [{ pid: 7, from: 5100, to: 7600 }] } };
    const h = history(completedExperiment(exp), started(7, 5000), started(8, 5500), ended(8, 5600, 'ok'), ended(7, 7700, 'aborted'), nemesis(pause, 7601));
    const r = executionsChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(true);
    expect(r.summary).toBe('every agent ran once per success (2 executions, 1 overlap after a fault stopped a worker)');
    // paused another process: no excuse
    const other = { ...pause, effects: { paused: [{ pid: 9, from: 5100, to: 7600 }] } };
    const h2 = history(completedExperiment(exp), started(7, 5000), started(8, 5500), ended(8, 5600, 'ok'), ended(7, 7700, 'aborted'), nemesis(other, 7601));
    expect(executionsChecker.check(inputOf(h2, [exp])).metrics['executions.overlapping']).toBe(1);
  });

  it('lists: a worker paused by the nemesis resumes with the original delivery and the requeued copy, and runs both at once', () => {
    // seen on the core (worker-pause, lists): both deliveries of the task in one live process after SIGCONT
    const pause: NemesisRecord = { fault: 'worker-pause', spec: 0, ok: true, startedAt: 2000, endedAt: 4500, effects: { paused: [{ pid: 7, from: 2000, to: 4500 }] } };
    const twice = [started(7, 4508), started(7, 4510), ended(7, 4631, 'ok'), ended(7, 4640, 'ok')];
    const r = executionsChecker.check(inputOf(history(completedExperiment(exp), nemesis(pause, 4502), twice), [exp]));
    expect(r.valid).toBe(true);
    expect(r.metrics['executions.overlapping_after_fault']).toBe(1);
    // with no pause, the same is a violation
    expect(executionsChecker.check(inputOf(history(completedExperiment(exp), twice), [exp])).metrics['executions.overlapping']).toBe(1);
  });

  it('an execution whose process was killed ends at the kill (worker-kill): the redelivered run does not overlap it', () => {
    const kill: NemesisRecord = { fault: 'worker-kill', spec: 0, ok: true, startedAt: 5200, endedAt: 5600, effects: { killed: [{ pid: 7, at: 5200 }] } };
    const h = history(completedExperiment(exp), started(7, 5000), nemesis(kill, 5600), started(8, 6000), ended(8, 6010, 'ok'));
    expect(executionsChecker.check(inputOf(h, [exp])).valid).toBe(true);
    // the same history without the kill record: pid 7 never ended, yet it emitted events later
    const h2 = history(completedExperiment(exp), started(7, 5000), started(8, 6000), ended(8, 6010, 'ok'), ack(exp, 1, 0, 'w-7'), ev('acked', { pid: 7, ts: 7000, taskId: T, experimentId: exp }));
    expect(executionsChecker.check(inputOf(h2, [exp])).metrics['executions.overlapping']).toBe(1);
  });

  it('pairs starts and ends by process, task and attempt', () => {
    const h = history(completedExperiment(exp), started(7, 5000), started(8, 5001, 2), ended(7, 5002, 'threw'), ended(8, 5003, 'ok', 2), complete(exp, 1, 0));
    const r = executionsChecker.check(inputOf(h, [exp]));
    // attempt 1's end closes pid 7's execution, not pid 8's; the 1 ms overlap is within the clocks' tolerance
    expect(r.metrics).toMatchObject({ 'executions.total': 2, 'executions.duplicate': 0, 'executions.overlapping': 0 });
  });
});
