/**
 * The issue-9 events on literal histories: a `cancelled` task is an accounted end (not lost, not
 * a missing fan-in), a task with no end at all is still lost, and `lease-renewed` bookkeeping
 * changes no verdict of any checker.
 */
import { describe, expect, it } from 'vitest';
import { fanInChecker } from '../../../harness/checkers/fan-in-order.js';
import { ALL_CHECKERS, runCheckers } from '../../../harness/checkers/index.js';
import { lostTasksChecker } from '../../../harness/checkers/lost-tasks.js';
import type { CheckerInput } from '../../../harness/checkers/types.js';
import { mergeHistory } from '../../../harness/history/recorder.js';
import { KIND_OF, type HistoryEvent } from '../../../harness/history/types.js';
import {
  advance, claim, completedExperiment, ev, history, inputOf, noFanInExperiment, runStage, runTask, STAGES, submit, tid,
} from './build-history.js';

const cancel = (exp: string, si: number, i: number, cause: string, worker = `w-${STAGES[si]}`) =>
  ev('cancelled', { experimentId: exp, stage: STAGES[si], workerId: worker, taskId: tid(exp, si, i), stageIndex: si, index: i, messageId: `m-${si}-${i}-late`, cause });

/** Redis's record of counted task indexes, per stage, for experiment `exp` (the health snapshot's). */
function withCounted(input: CheckerInput, exp: string, counted: Record<number, number[]>): CheckerInput {
  const experiments = input.health.experiments.map((x) => (x.id === exp ? { ...x, counted } : x));
  return { ...input, health: { ...input.health, experiments } };
}

describe('cancelled tasks', () => {
  it('have the fail kind: a definite end without an effect', () => {
    expect(KIND_OF.cancelled).toBe('fail');
    expect(KIND_OF['lease-renewed']).toBe('info');
    expect(KIND_OF['consumer-removed']).toBe('info');
  });

  it('a cancelled task is not lost, and is counted apart', () => {
    const exp = 'e1';
    // the experiment failed, but its terminal event was lost with a reply: only the cancel says so
    const base = [submit(exp), runStage(exp, 0, 1), advance(exp, 1, 3), runTask(exp, 1, 0), runTask(exp, 1, 1), claim(exp, 1, 2)];
    const without = lostTasksChecker.check(inputOf(history(...base), [exp]));
    expect(without.metrics).toMatchObject({ lost: 1, cancelled: 0 });
    const r = lostTasksChecker.check(inputOf(history(...base, cancel(exp, 1, 2, 'experiment already failed')), [exp]));
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ lost: 0, poison: 0, unobserved_completions: 0, cancelled: 1 });
    expect(r.summary).toBe('no lost tasks (4 enqueued, 1 cancelled (experiment or stage already ended))');
  });

  it('a task of a failed experiment that was cancelled counts as cancelled, not abandoned', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2), runTask(exp, 1, 0),
      ev('experiment-failed', { experimentId: exp, cause: 'stage analyse_batch timed out', component: 'supervisor' }),
      claim(exp, 1, 1), cancel(exp, 1, 1, 'experiment already failed'),
    );
    const r = lostTasksChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(true);
    expect(r.metrics).toMatchObject({ lost: 0, cancelled: 1 });
    expect(r.summary).not.toContain('abandoned');
  });

  it('a task neither completed nor dead-lettered nor cancelled in a completed experiment is still lost', () => {
    const exp = 'e1';
    const drafts = completedExperiment(exp, 3);
    // analyse task 2 was claimed, its lease renewed, and then nothing: no completion, no dead letter, no cancel
    const i = drafts.findIndex((d) => d.type === 'completed' && d.stageIndex === 1 && d.index === 2);
    drafts.splice(i, 3, ev('lease-renewed', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-analyse_batch', taskId: tid(exp, 1, 2), messageId: 'm-1-2' }));
    const h = history(drafts);
    // Redis's record of the stage says the fan-in counted tasks 0 and 1 only: the stage finished without task 2
    const r = lostTasksChecker.check(withCounted(inputOf(h, [exp]), exp, { 0: [0], 1: [0, 1], 2: [0], 3: [0, 1], 4: [0] }));
    expect(r.valid).toBe(false);
    expect(r.metrics).toMatchObject({ lost: 1, cancelled: 0, unobserved_completions: 0 });
    expect(r.evidence[0]).toMatchObject({ taskId: tid(exp, 1, 2), stage: 'analyse_batch' });
    expect(r.evidence[0].message).toContain('lease-renewed by w-analyse_batch');
    // with Redis's record counting it, the same history is an unobserved completion (a lost reply)
    const counted = lostTasksChecker.check(withCounted(inputOf(h, [exp]), exp, { 0: [0], 1: [0, 1, 2], 2: [0], 3: [0, 1], 4: [0] }));
    expect(counted.metrics).toMatchObject({ lost: 0, unobserved_completions: 1 });
  });

  it('a finished fan-out whose straggler was cancelled (the experiment had ended) is not a fan-out without fan-in', () => {
    const exp = 'e1';
    const base = [
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 3), runTask(exp, 1, 0), runTask(exp, 1, 1), claim(exp, 1, 2),
      ev('dead-lettered', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-analyse_batch', taskId: tid(exp, 1, 2), stageIndex: 1, index: 2, cause: 'agent refused' }),
    ];
    // the experiment-failed event was lost with its reply: without the cancel, this looks like the post-mortem bug
    expect(fanInChecker.check(inputOf(history(...base), [exp])).metrics.fan_in_violations).toBe(1);
    const r = fanInChecker.check(inputOf(history(...base, claim(exp, 1, 2, 'w-2'), cancel(exp, 1, 2, 'experiment already failed', 'w-2')), [exp]));
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ fan_in_violations: 0 });
  });
});

/** `h` with a lease renewal by the claiming worker 0.5 ms after every claim (renumbered). */
function withLeaseRenewals(h: readonly HistoryEvent[]): HistoryEvent[] {
  const copy = h.map((e) => ({ ...e }));
  const renewals = h
    .filter((e) => e.type === 'claimed')
    .flatMap((c) => [0.25, 0.5].map((dt) => ({ ...c, type: 'lease-renewed' as const, ts: c.ts + dt, deliveries: undefined })));
  return mergeHistory([...copy, ...renewals]);
}

describe('lease-renewed events', () => {
  const verdicts = (input: CheckerInput) => runCheckers(input).map((r) => ({ name: r.name, valid: r.valid, metrics: r.metrics }));

  it.each([
    ['completed experiments', () => history(completedExperiment('e1'), completedExperiment('e2', 3)), ['e1', 'e2']],
    ['the no-fan-in bug', () => history(noFanInExperiment('e1')), ['e1']],
    ['a lost task', () => history(submit('e1'), runStage('e1', 0, 1), advance('e1', 1, 2), runTask('e1', 1, 0), claim('e1', 1, 1)), ['e1']],
  ] as const)('change no checker verdict or metric: %s', (_what, make, ids) => {
    const h = make();
    const renewed = withLeaseRenewals(h);
    expect(renewed.filter((e) => e.type === 'lease-renewed').length).toBeGreaterThan(0);
    const before = verdicts(inputOf(h, ids));
    const after = verdicts({ ...inputOf(h, ids), history: renewed });
    expect(after).toEqual(before);
    expect(after.map((v) => v.name)).toEqual(ALL_CHECKERS.map((c) => c.name));
  });

  it('are never claims: a renewal alone does not make a completion "claimed"', () => {
    const exp = 'e1';
    const drafts = completedExperiment(exp, 1);
    const i = drafts.findIndex((d) => d.type === 'claimed' && d.taskId === tid(exp, 1, 0));
    drafts[i] = ev('lease-renewed', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-analyse_batch', taskId: tid(exp, 1, 0), messageId: 'm-1-0' });
    const byName = Object.fromEntries(runCheckers(inputOf(history(drafts), [exp])).map((r) => [r.name, r]));
    expect(byName.integrity.valid).toBe(false);
    expect(byName.integrity.evidence[0].message).toContain('without an earlier claim');
  });
});
