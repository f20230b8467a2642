import { describe, expect, it } from 'vitest';
import { completionChecker } from '../../../harness/checkers/completion-rate.js';
import { completedExperiment, ev, healthySnapshot, history, inputOf, noFanInExperiment, runStage, submit } from './build-history.js';

describe('completion checker', () => {
  it('is valid when every experiment completed', () => {
    const h = history(completedExperiment('e1'), completedExperiment('e2'));
    const r = completionChecker.check(inputOf(h, ['e1', 'e2']));
    expect(r.name).toBe('completion');
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ completion_rate: 1, completed: 2, failed: 0, timed_out: 0 });
    expect(r.evidence).toEqual([]);
  });

  it('counts a failure with its cause as visible, not invalid', () => {
    const h = history(
      completedExperiment('e1'),
      submit('e2'), runStage('e2', 0, 1),
      ev('experiment-failed', { experimentId: 'e2', component: 'supervisor', cause: 'stage timed out' }),
    );
    const r = completionChecker.check(inputOf(h, ['e1', 'e2']));
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ completion_rate: 0.5, completed: 1, failed: 1, timed_out: 0 });
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]).toMatchObject({ experimentId: 'e2', seqs: [h[h.length - 1].seq] });
    expect(r.evidence[0].message).toContain('experiment e2 failed: stage timed out');
  });

  it('no fan-in: the experiment timed out at analyse_batch (a hang)', () => {
    const h = history(noFanInExperiment('e1'));
    const health = healthySnapshot(h, ['e1']);
    health.experiments = [{ id: 'e1', status: 'running', stage: 'analyse_batch', stageIndex: 1, remaining: 0, width: 5, cause: '' }];
    const r = completionChecker.check(inputOf(h, ['e1'], { health }));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ completion_rate: 0, completed: 0, failed: 0, timed_out: 1 });
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]).toMatchObject({ experimentId: 'e1', stage: 'analyse_batch', seqs: [h[h.length - 1].seq] });
    expect(r.evidence[0].message).toBe('experiment e1 timed out in stage analyse_batch (status running, 0/5 tasks remaining)');
  });

  it('an experiment without any terminal event hangs; the stage comes from the history when health lacks it', () => {
    const h = history(completedExperiment('e1'), submit('e2'), runStage('e2', 0, 1));
    const health = healthySnapshot(h, ['e1']);
    const r = completionChecker.check(inputOf(h, ['e1', 'e2'], { health }));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ completion_rate: 0.5, completed: 1, failed: 0, timed_out: 1 });
    expect(r.evidence[0].experimentId).toBe('e2');
    expect(r.evidence[0].stage).toBe('pre_test');
    expect(r.evidence[0].message).toContain('experiment e2 has no terminal event');
  });

  it('a completion after the harness gave up still counts as timed out', () => {
    const h = history(noFanInExperiment('e1'), ev('experiment-completed', { experimentId: 'e1' }));
    const r = completionChecker.check(inputOf(h, ['e1']));
    expect(r.valid).toBe(false);
    expect(r.metrics.timed_out).toBe(1);
    expect(r.evidence[0].message).toContain('experiment-completed came later');
  });

  it('is unknown with no experiments', () => {
    const r = completionChecker.check(inputOf(history(), []));
    expect(r.valid).toBe('unknown');
    expect(r.metrics).toEqual({ completion_rate: 0, completed: 0, failed: 0, timed_out: 0 });
  });
});
