import { describe, expect, it } from 'vitest';
import { fanInCommitChecker } from '../../../harness/checkers/fan-in-commit.js';
import { fanInChecker } from '../../../harness/checkers/fan-in-order.js';
import { advance, claim, complete, completedExperiment, ev, history, inputOf, runStage, runTask, STAGES, submit, tid } from './build-history.js';

/**
 * The waiting side creates the next stage: the workers count completions but never advance;
 * the orchestrator's wait notices the count reached zero and enqueues the next stage itself,
 * a little later, from its own process.
 */
function waitingSideExperiment(exp: string, stampedBy: { pid: number; component: 'orchestrator' | 'worker'; lagMs: number }) {
  const out = [...submit(exp), ...runStage(exp, 0, 1), ...advance(exp, 1, 3), ...runStage(exp, 1, 3)];
  const h0 = history(out);
  const lastCompletion = h0.filter((e) => e.type === 'completed').at(-1)!.ts;
  const at = lastCompletion + stampedBy.lagMs;
  return [
    ...out,
    ev('stage-advanced', { experimentId: exp, stageIndex: 2, width: 1, ts: at, pid: stampedBy.pid, component: stampedBy.component }),
    ev('enqueued', { experimentId: exp, stageIndex: 2, index: 0, taskId: tid(exp, 2, 0), stage: STAGES[2], ts: at, pid: stampedBy.pid, component: stampedBy.component }),
    claim(exp, 2, 0), complete(exp, 2, 0),
  ];
}

describe('fan-in-commit checker', () => {
  it('is valid when every stage is enqueued at the commit of the finish that completed the stage before', () => {
    const h = history(completedExperiment('e1'), completedExperiment('e2', 7));
    const r = fanInCommitChecker.check(inputOf(h, ['e1', 'e2']));
    expect(r).toMatchObject({ valid: true, metrics: { 'fan_in_commit.violations': 0 } });
    expect(r.summary).toBe('every stage was created by its fan-in\'s commit (8 experiment-stage pairs)');
  });

  it('a waiting side that creates the next stage passes the fan-in checker of today, and fails this one', () => {
    const h = history(waitingSideExperiment('e1', { pid: 99, component: 'orchestrator', lagMs: 3 }));
    expect(fanInChecker.check(inputOf(h, ['e1'])).valid).toBe(true);
    const r = fanInCommitChecker.check(inputOf(h, ['e1']));
    expect(r.valid).toBe(false);
    expect(r.evidence[0]).toMatchObject({ experimentId: 'e1', stage: 'corpus_synthesis', taskId: tid('e1', 2, 0) });
    expect(r.evidence[0].message).toMatch(/^experiment e1: corpus_synthesis task e1\/2\/0 enqueued at seq \d+ by orchestrator pid 99 at \d+\.000, a time no analyse_batch finish of that process committed: the stage was not created by the fan-in$/);
  });

  it('stamped with the exact commit time, but by another component: still not the fan-in', () => {
    const h = history(waitingSideExperiment('e1', { pid: 99, component: 'orchestrator', lagMs: 0 }));
    expect(fanInCommitChecker.check(inputOf(h, ['e1'])).valid).toBe(false);
  });

  it('a claim of a next-stage task that was never enqueued (the waiting side pushed it unrecorded) fails', () => {
    const exp = 'e1';
    const h = history(submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2), runStage(exp, 1, 2), runTask(exp, 2, 0));
    const r = fanInCommitChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.evidence[0].message).toMatch(/^experiment e1: corpus_synthesis task e1\/2\/0 claimed at seq \d+ by w-corpus_synthesis with no enqueue of it in the history/);
  });

  it('an enqueue stamped by an earlier completion (not the one that brought the count to zero) fails', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2), runTask(exp, 1, 0), advance(exp, 2, 1), runTask(exp, 1, 1), runTask(exp, 2, 0),
    );
    const r = fanInCommitChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.evidence[0].message).toMatch(/enqueued at seq \d+ at the commit of e1\/1\/0 \(seq \d+\), before a later analyse_batch completion/);
  });

  it('a claim with no enqueue is excused when the previous stage has a finish Redis counted but the history lost (killed process)', () => {
    const exp = 'e1';
    const h = history(submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2), runTask(exp, 1, 0), claim(exp, 1, 1), runTask(exp, 2, 0));
    const base = inputOf(h, [exp]);
    expect(fanInCommitChecker.check(base).valid).toBe(false);
    const health = { ...base.health, experiments: [{ id: exp, status: 'running' as const, stage: 'corpus_synthesis', stageIndex: 2, remaining: 0, width: 1, cause: '', counted: { 0: [0], 1: [0, 1] } }] };
    expect(fanInCommitChecker.check({ ...base, health }).valid).toBe(true);
  });

  it("under a fault, a stage whose creation left no event (the fan-in's reply lost, its resend only 'confirmed') is excused when Redis counted the stage before", () => {
    const exp = 'e1';
    // seen on the core (redis-restart-aof, lists): pre_test's completion resent after the restart, analyse tasks claimed with no enqueue event
    const h = history(submit(exp), claim(exp, 0, 0), ev('nemesis', { component: 'harness', cause: 'redis-restart', fault: { fault: 'redis-restart', spec: 0, ok: true, startedAt: 1, endedAt: 2 } }),
      complete(exp, 0, 0), runTask(exp, 1, 0), runTask(exp, 1, 1));
    const base = inputOf(h, [exp]);
    const health = { ...base.health, experiments: [{ id: exp, status: 'running' as const, stage: 'analyse_batch', stageIndex: 1, remaining: 0, width: 2, cause: '', counted: { 0: [0], 1: [0, 1] } }] };
    expect(fanInCommitChecker.check({ ...base, health }).valid).toBe(true);
    // the same without the fault: a waiting side that created the stage silently
    const clean = history(submit(exp), runStage(exp, 0, 1), runTask(exp, 1, 0), runTask(exp, 1, 1));
    expect(fanInCommitChecker.check({ ...inputOf(clean, [exp]), health }).valid).toBe(false);
  });

  it('experiments known only from forged messages are not checked', () => {
    const h = history(claim('forged', 1, 0));
    expect(fanInCommitChecker.check(inputOf(h, [])).valid).toBe(true);
  });

  it('a stage advanced by the deadline sweep (dead letters and enqueues of one commit, one process) is the fan-in', () => {
    const exp = 'e1';
    const sweep = { component: 'supervisor' as const, pid: 5, ts: 9000 };
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2), runTask(exp, 1, 0), claim(exp, 1, 1),
      ev('dead-lettered', { ...sweep, experimentId: exp, stageIndex: 1, index: 1, taskId: tid(exp, 1, 1), cause: 'stage deadline passed' }),
      ev('stage-advanced', { ...sweep, experimentId: exp, stageIndex: 2, width: 1 }),
      ev('enqueued', { ...sweep, experimentId: exp, stageIndex: 2, index: 0, taskId: tid(exp, 2, 0) }),
      claim(exp, 2, 0), complete(exp, 2, 0),
    );
    expect(fanInCommitChecker.check(inputOf(h, [exp])).valid).toBe(true);
  });
});
