import { describe, expect, it } from 'vitest';
import { lostTasksChecker } from '../../../harness/checkers/lost-tasks.js';
import { advance, claim, completedExperiment, ev, history, inputOf, noFanInExperiment, runStage, runTask, submit, tid } from './build-history.js';

describe('lost-tasks checker', () => {
  it('is valid when every enqueued task completed', () => {
    const h = history(completedExperiment('e1'), noFanInExperiment('e2'));
    const r = lostTasksChecker.check(inputOf(h, ['e1', 'e2']));
    expect(r.name).toBe('lost-tasks');
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ lost: 0, poison: 0, unobserved_completions: 0, cancelled: 0 });
    expect(r.evidence).toEqual([]);
  });

  it('names a task claimed and never completed, and one never claimed', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 3),
      runTask(exp, 1, 0), claim(exp, 1, 1, 'w-3'),
      ev('experiment-timed-out', { experimentId: exp }),
    );
    const r = lostTasksChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ lost: 2, poison: 0, unobserved_completions: 0, cancelled: 0 });
    const claimed = h.find((e) => e.type === 'claimed' && e.taskId === tid(exp, 1, 1))!;
    const enq = h.find((e) => e.type === 'enqueued' && e.taskId === tid(exp, 1, 2))!;
    expect(r.evidence).toEqual([
      expect.objectContaining({
        experimentId: exp, stage: 'analyse_batch', taskId: 'e1/1/1',
        message: `task e1/1/1 of experiment e1 (analyse_batch) lost: claimed by w-3 at seq ${claimed.seq}, never completed`,
      }),
      expect.objectContaining({
        experimentId: exp, stage: 'analyse_batch', taskId: 'e1/1/2',
        message: `task e1/1/2 of experiment e1 (analyse_batch) lost: enqueued at seq ${enq.seq}, never claimed`, seqs: [enq.seq],
      }),
    ]);
  });

  it('a task whose stage advanced was counted by the fan-in even without an observed completion (lost reply)', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 2),
      runTask(exp, 1, 0), claim(exp, 1, 1, 'w-3'),
      // the completion of e1/1/1 ran in Redis, but its reply was lost: no 'completed' event
      advance(exp, 2, 1), runTask(exp, 2, 0),
      ev('experiment-timed-out', { experimentId: exp }),
    );
    const r = lostTasksChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ lost: 0, poison: 0, unobserved_completions: 1, cancelled: 0 });
    expect(r.summary).toContain('1 counted by the fan-in without an observed completion');
  });

  it('names the retry a task was last seen in', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), claim(exp, 0, 0),
      ev('retried', { experimentId: exp, stage: 'pre_test', workerId: 'w-pre_test', taskId: tid(exp, 0, 0), attempt: 1, cause: 'rate limited' }),
    );
    const r = lostTasksChecker.check(inputOf(h, [exp]));
    expect(r.metrics).toEqual({ lost: 1, poison: 0, unobserved_completions: 0, cancelled: 0 });
    expect(r.evidence[0].message).toBe(`task e1/0/0 of experiment e1 (pre_test) lost: retried by w-pre_test at seq 3 (rate limited), never completed`);
  });

  it('abandoned work of a failed experiment is not lost; dead letters finish tasks; poison is counted apart', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 3),
      runTask(exp, 1, 0),
      claim(exp, 1, 1),
      ev('dead-lettered', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-analyse_batch', taskId: tid(exp, 1, 1), stageIndex: 1, index: 1, cause: 'agent refused' }),
      ev('experiment-failed', { experimentId: exp, cause: 'dead-lettered in analyse_batch' }),
      ev('dead-lettered', { stage: 'review', workerId: 'w-review', messageId: '1-0', cause: 'malformed message' }),
    );
    const r = lostTasksChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ lost: 0, poison: 1, unobserved_completions: 0, cancelled: 0 });
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]).toMatchObject({ messageId: '1-0', stage: 'review' });
    expect(r.evidence[0].message).toContain('malformed message');
  });
});
