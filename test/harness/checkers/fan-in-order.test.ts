import { describe, expect, it } from 'vitest';
import { fanInChecker } from '../../../harness/checkers/fan-in-order.js';
import {
  ack, advance, claim, complete, completedExperiment, EXPECT, ev, history, inputOf, noFanInExperiment, runStage, runTask, submit, tid,
} from './build-history.js';

describe('fan-in checker', () => {
  it('is valid for complete pipelines', () => {
    const h = history(completedExperiment('e1'), completedExperiment('e2', 3));
    const r = fanInChecker.check(inputOf(h, ['e1', 'e2']));
    expect(r.name).toBe('fan-in');
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ fan_in_violations: 0 });
    expect(r.evidence).toEqual([]);
  });

  it('no fan-in: 5/5 analyse tasks completed, corpus_synthesis never enqueued', () => {
    const h = history(noFanInExperiment('e1'));
    const r = fanInChecker.check(inputOf(h, ['e1']));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ fan_in_violations: 1 });
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0].message).toBe('experiment e1 stopped at analyse_batch: 5/5 tasks completed, corpus_synthesis never enqueued (fan-out without fan-in)');
    const completions = h.filter((e) => e.type === 'completed' && e.stageIndex === 1).map((e) => e.seq);
    expect(r.evidence[0]).toMatchObject({ experimentId: 'e1', stage: 'analyse_batch', seqs: completions });
  });

  it('a claim stamped by another clock a few ms before the last completion is clock skew, not a violation', () => {
    const exp = 'e1';
    // an unenqueued claim (a foreign producer) 20 ms before the last analyse completion: tolerated;
    // 80 ms before: a violation
    for (const [skew, violations] of [[20, 0], [80, 1]] as const) {
      const h = history(
        submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2), runTask(exp, 1, 0), claim(exp, 1, 1),
        ev('claimed', { experimentId: exp, stage: 'corpus_synthesis', workerId: 'w-s', taskId: tid(exp, 2, 0), ts: 5000 }),
        ev('completed', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-a', taskId: tid(exp, 1, 1), stageIndex: 1, index: 1, resultHash: 'h', ts: 5000 + skew }),
        ev('experiment-failed', { experimentId: exp, cause: 'stage timed out', component: 'supervisor' }),
      );
      const r = fanInChecker.check(inputOf(h, [exp]));
      expect(r.metrics.fan_in_violations).toBe(violations);
    }
  });

  it('a previous task with no completion event that Redis counted finished unobserved (its process was killed)', () => {
    const exp = 'e1';
    const h = history(submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2), runTask(exp, 1, 0), claim(exp, 1, 1), advance(exp, 2, 1), runTask(exp, 2, 0));
    const base = inputOf(h, [exp]);
    expect(fanInChecker.check(base).metrics.fan_in_violations).toBe(1);
    const withRedis = { ...base, health: { ...base.health, experiments: [{ id: exp, status: 'running' as const, stage: 'corpus_synthesis', stageIndex: 2, remaining: 0, width: 1, cause: '', counted: { 0: [0], 1: [0, 1], 2: [0] } }] } };
    expect(fanInChecker.check(withRedis).metrics.fan_in_violations).toBe(0);
  });

  it('a finished fan-out whose experiment failed is a visible failure, not a missing fan-in', () => {
    const h = history(
      submit('e1'), runStage('e1', 0, 1), advance('e1', 1, 2), runStage('e1', 1, 2),
      ev('experiment-failed', { experimentId: 'e1', cause: 'stage timed out', component: 'supervisor' }),
    );
    const r = fanInChecker.check(inputOf(h, ['e1']));
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ fan_in_violations: 0 });
  });

  it('counts a dead-lettered fan-out task as finished', () => {
    const h = history(
      submit('e1'), runStage('e1', 0, 1), advance('e1', 1, 2), runTask('e1', 1, 0),
      claim('e1', 1, 1),
      ev('dead-lettered', { experimentId: 'e1', stage: 'analyse_batch', workerId: 'w-analyse_batch', taskId: tid('e1', 1, 1), stageIndex: 1, index: 1, cause: 'boom' }),
    );
    const r = fanInChecker.check(inputOf(h, ['e1']));
    expect(r.valid).toBe(false);
    expect(r.evidence[0].message).toBe('experiment e1 stopped at analyse_batch: 1/2 tasks completed and 1 dead-lettered, corpus_synthesis never enqueued (fan-out without fan-in)');
  });

  it('flags corpus_synthesis enqueued before the last analyse task completed', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 3),
      runTask(exp, 1, 0), runTask(exp, 1, 1), claim(exp, 1, 2),
      advance(exp, 2, 1), // too early
      complete(exp, 1, 2), ack(exp, 1, 2),
    );
    const r = fanInChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ fan_in_violations: 1 });
    const enq = h.find((e) => e.type === 'enqueued' && e.stageIndex === 2)!;
    const late = h.find((e) => e.type === 'completed' && e.taskId === tid(exp, 1, 2))!;
    expect(r.evidence[0]).toMatchObject({ experimentId: exp, stage: 'corpus_synthesis', taskId: tid(exp, 2, 0), seqs: [enq.seq, late.seq] });
    expect(r.evidence[0].message).toBe(
      `experiment e1: corpus_synthesis task e1/2/0 enqueued at seq ${enq.seq} before 1/3 analyse_batch tasks finished: e1/1/2 (completed at seq ${late.seq})`,
    );
  });

  it('flags a moderation claim before a review task finished, and a never-seen task of the width', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 1), runStage(exp, 1, 1), advance(exp, 2, 1), runStage(exp, 2, 1),
      ev('stage-advanced', { experimentId: exp, stageIndex: 3, width: 2 }),
      ev('enqueued', { experimentId: exp, stageIndex: 3, index: 0, taskId: tid(exp, 3, 0) }),
      runTask(exp, 3, 0),
      claim(exp, 4, 0, 'w-9'),
    );
    const r = fanInChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ fan_in_violations: 1 });
    expect(r.evidence[0].stage).toBe('moderation');
    expect(r.evidence[0].message).toContain('moderation task e1/4/0 claimed by w-9');
    expect(r.evidence[0].message).toContain('e1/3/1 (never finished)');
  });

  it('flags a completed experiment that counted two syntheses', () => {
    const exp = 'e1';
    const drafts = completedExperiment(exp);
    const i = drafts.findIndex((d) => d.type === 'completed' && d.stageIndex === 2);
    drafts.splice(i + 1, 0, complete(exp, 2, 0, 'w-other', 'h-again'));
    const h = history(drafts);
    const r = fanInChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ fan_in_violations: 1 });
    expect(r.evidence[0]).toMatchObject({ experimentId: exp, stage: 'corpus_synthesis', taskId: tid(exp, 2, 0) });
    expect(r.evidence[0].message).toBe('experiment e1 completed with 2 counted corpus_synthesis completions (exactly 1 expected)');
  });

  it('flags a completed experiment without a moderation', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 1), runStage(exp, 1, 1), advance(exp, 2, 1), runStage(exp, 2, 1),
      advance(exp, 3, 2), runStage(exp, 3, 2),
      ev('experiment-completed', { experimentId: exp }),
    );
    const r = fanInChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.evidence.map((e) => e.message)).toEqual(['experiment e1 completed with 0 counted moderation completions (exactly 1 expected)']);
  });

  it('is unknown when a fan-in stage is not in the pipeline', () => {
    const h = history(completedExperiment('e1'));
    const r = fanInChecker.check(inputOf(h, ['e1'], { expect: { ...EXPECT, fanInStages: ['nope'] } }));
    expect(r.valid).toBe('unknown');
    expect(r.metrics).toEqual({ fan_in_violations: 0 });
    expect(r.evidence[0].message).toContain('nope');
  });
});
