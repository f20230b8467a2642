import { describe, expect, it } from 'vitest';
import { integrityChecker } from '../../../harness/checkers/result-integrity.js';
import {
  ack, advance, claim, complete, completedExperiment, ev, hashOf, healthySnapshot, history, inputOf, runStage, submit,
} from './build-history.js';

describe('integrity checker', () => {
  it('is valid when every artifact and result verifies', () => {
    const h = history(completedExperiment('e1'), completedExperiment('e2'));
    const r = integrityChecker.check(inputOf(h, ['e1', 'e2']));
    expect(r.name).toBe('integrity');
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ integrity_violations: 0 });
    expect(r.evidence).toEqual([]);
  });

  it('flags artifacts that are unverified, missing or corrupt', () => {
    const h = history(completedExperiment('e1'));
    const health = healthySnapshot(h, ['e1']);
    health.artifacts = health.artifacts
      .filter((a) => a.hash !== hashOf('e1', 1, 2))
      .map((a) => (a.hash === hashOf('e1', 1, 3) ? { ...a, resolved: false } : a.hash === hashOf('e1', 3, 1) ? { ...a, matches: false } : a));
    const r = integrityChecker.check(inputOf(h, ['e1'], { health }));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ integrity_violations: 3 });
    expect(r.evidence.map((e) => [e.taskId, e.stage])).toEqual([['e1/1/2', 'analyse_batch'], ['e1/1/3', 'analyse_batch'], ['e1/3/1', 'review']]);
    expect(r.evidence[0].message).toContain(`artifact ${hashOf('e1', 1, 2)} of task e1/1/2 of experiment e1 (analyse_batch`);
    expect(r.evidence[0].message).toContain('is not in the health snapshot (not verified)');
    expect(r.evidence[1].message).toContain('is missing from Redis');
    expect(r.evidence[2].message).toContain('does not hash to its name');
  });

  it('flags a completion without a claim (no agent run)', () => {
    const exp = 'e1';
    const h = history(submit(exp), complete(exp, 0, 0), ack(exp, 0, 0));
    const r = integrityChecker.check(inputOf(h, [exp]));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ integrity_violations: 1 });
    expect(r.evidence[0]).toMatchObject({ experimentId: exp, stage: 'pre_test', taskId: 'e1/0/0', seqs: [2] });
    expect(r.evidence[0].message).toBe('task e1/0/0 of experiment e1 (pre_test) completed at seq 2 without an earlier claim (no agent run)');
  });

  it('flags an experiment completed before its last stage ran', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), runStage(exp, 0, 1), advance(exp, 1, 1), runStage(exp, 1, 1), advance(exp, 2, 1), runStage(exp, 2, 1),
      advance(exp, 3, 2), runStage(exp, 3, 2), advance(exp, 4, 1), claim(exp, 4, 0),
      ev('experiment-completed', { experimentId: exp }),
    );
    const health = healthySnapshot(h, [exp]);
    health.results = [{ experimentId: exp, resultHash: 'h-fake', resolved: true, matches: true, schemaValid: true, schemaErrors: [] }];
    const r = integrityChecker.check(inputOf(h, [exp], { health }));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ integrity_violations: 2 });
    expect(r.evidence[0]).toMatchObject({ experimentId: exp, stage: 'moderation', taskId: 'e1/4/0' });
    expect(r.evidence[0].message).toBe(`experiment e1 completed at seq ${h.length - 1} without a counted completion of moderation task e1/4/0`);
    expect(r.evidence[1].message).toBe('final result h-fake of experiment e1 was not produced by any counted moderation completion');
  });

  it('flags a final result that is missing, corrupt or fails the schema', () => {
    const h = history(completedExperiment('e1'), completedExperiment('e2'));
    const health = healthySnapshot(h, ['e1', 'e2']);
    health.results = [{ ...health.results[0], matches: false, schemaValid: false, schemaErrors: ['verdict: required'] }];
    const r = integrityChecker.check(inputOf(h, ['e1', 'e2'], { health }));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ integrity_violations: 2 });
    expect(r.evidence[0].experimentId).toBe('e1');
    expect(r.evidence[0].message).toBe(`final result ${hashOf('e1', 4, 0)} of experiment e1 does not hash to its name, fails the report schema (verdict: required)`);
    expect(r.evidence[1]).toMatchObject({ experimentId: 'e2', message: 'experiment e2 completed but has no final result in the health snapshot (not verified)' });
  });
});
