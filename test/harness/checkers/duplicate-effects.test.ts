import { describe, expect, it } from 'vitest';
import { duplicatesChecker } from '../../../harness/checkers/duplicate-effects.js';
import { advance, claim, complete, completedExperiment, ev, history, inputOf, tid } from './build-history.js';

describe('duplicates checker', () => {
  it('is valid with redeliveries ignored as duplicates', () => {
    const drafts = completedExperiment('e1');
    const i = drafts.findIndex((d) => d.type === 'completed' && d.stageIndex === 1);
    drafts.splice(i + 1, 0,
      ev('reclaimed', { experimentId: 'e1', stage: 'analyse_batch', workerId: 'w-2', taskId: tid('e1', 1, 0), deliveries: 2 }),
      claim('e1', 1, 0, 'w-2'),
      ev('duplicate-ignored', { experimentId: 'e1', stage: 'analyse_batch', workerId: 'w-2', taskId: tid('e1', 1, 0), cause: 'duplicate' }),
    );
    const r = duplicatesChecker.check(inputOf(history(drafts), ['e1']));
    expect(r.name).toBe('duplicates');
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ duplicates: 0, duplicates_ignored: 1 });
    expect(r.evidence).toEqual([]);
  });

  it('flags a double completion, a double stage advance and a double ending', () => {
    const exp = 'e1';
    const drafts = completedExperiment(exp, 2);
    const i = drafts.findIndex((d) => d.type === 'completed' && d.stageIndex === 1 && d.index === 1);
    // a second counted completion of e1/1/1 by another worker, advancing the stage again
    drafts.splice(i + 1, 0, claim(exp, 1, 1, 'w-b'), complete(exp, 1, 1, 'w-b', 'h-b'), ev('stage-advanced', { experimentId: exp, stageIndex: 2, width: 1 }));
    drafts.push(ev('experiment-failed', { experimentId: exp, cause: 'stage timed out', component: 'supervisor' }));
    const h = history(drafts);
    const r = duplicatesChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ duplicates: 3, duplicates_ignored: 0 });
    const seqsOf = (pred: (e: (typeof h)[number]) => boolean) => h.filter(pred).map((e) => e.seq);
    expect(r.evidence).toEqual([
      expect.objectContaining({
        experimentId: exp, stage: 'analyse_batch', taskId: 'e1/1/1',
        seqs: seqsOf((e) => e.type === 'completed' && e.taskId === 'e1/1/1'),
      }),
      expect.objectContaining({ experimentId: exp, stage: 'corpus_synthesis', seqs: seqsOf((e) => e.type === 'stage-advanced' && e.stageIndex === 2) }),
      expect.objectContaining({ experimentId: exp, seqs: seqsOf((e) => e.type === 'experiment-completed' || e.type === 'experiment-failed') }),
    ]);
    expect(r.evidence[0].message).toMatch(/task e1\/1\/1 of experiment e1 \(analyse_batch\) has 2 counted completions: seq \d+ by w-analyse_batch, seq \d+ by w-b/);
    expect(r.evidence[1].message).toBe('experiment e1 advanced to corpus_synthesis (stage 2) 2 times');
    expect(r.evidence[2].message).toMatch(/^experiment e1 ended 2 times: experiment-completed at seq \d+, experiment-failed at seq \d+$/);
  });

  it('flags a task enqueued twice', () => {
    const h = history(completedExperiment('e1'), advance('e1', 2, 1));
    const r = duplicatesChecker.check(inputOf(h, ['e1']));
    expect(r.valid).toBe(false);
    // the second advance: one more stage-advanced and one more enqueue of e1/2/0
    expect(r.metrics).toEqual({ duplicates: 2, duplicates_ignored: 0 });
    expect(r.evidence.map((e) => e.message)).toEqual([
      'task e1/2/0 of experiment e1 (corpus_synthesis) was enqueued 2 times',
      'experiment e1 advanced to corpus_synthesis (stage 2) 2 times',
    ]);
  });
});
