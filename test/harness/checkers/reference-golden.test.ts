/**
 * The reference checker with a pipeline module's references: one per experiment (experiments of
 * different inputs), a golden answer (only the final result compared, with what came out and what
 * was expected), a skipped reference with its reason; a task skipped under a continue policy
 * changes the golden answer legitimately.
 */
import { describe, expect, it } from 'vitest';
import { referenceChecker } from '../../../harness/checkers/reference.js';
import type { CheckerInput, ReferenceRun } from '../../../harness/checkers/types.js';
import { claim, completedExperiment, ev, history, inputOf } from './build-history.js';

const golden = (resultHash: string): ReferenceRun => ({ stages: [], resultHash, golden: true, expected: '{"answer":42}' });

function withFinals(input: CheckerInput, finals: Record<string, string>): CheckerInput {
  const results = Object.entries(finals).map(([experimentId, resultHash]) => ({ experimentId, resultHash, resolved: true, matches: true, schemaValid: true, schemaErrors: [] }));
  return { ...input, health: { ...input.health, results } };
}

describe('reference checker with per-experiment and golden references', () => {
  it('each experiment is compared with its own golden answer', () => {
    const h = history(completedExperiment('e1'), completedExperiment('e2'));
    const references = new Map([['e1', golden('g1')], ['e2', golden('g2')]]);
    const ok = referenceChecker.check(withFinals(inputOf(h, ['e1', 'e2'], { references }), { e1: 'g1', e2: 'g2' }));
    expect(ok).toMatchObject({ valid: true, summary: '2 completed experiments reproduce the golden reference' });
    const bad = referenceChecker.check(withFinals(inputOf(h, ['e1', 'e2'], { references, finalOutputs: new Map([['e2', '{"answer":0}']]) }), { e1: 'g1', e2: 'g1' }));
    expect(bad.valid).toBe(false);
    expect(bad.evidence).toEqual([{
      message: 'experiment e2: final result g1 (moderation output) differs from the golden reference g2: got {"answer":0}, expected {"answer":42}',
      experimentId: 'e2', stage: 'moderation',
    }]);
  });

  it('a task skipped under a continue policy: the golden answer is not compared (noted)', () => {
    const h = history(completedExperiment('e1'), claim('e1', 1, 9), ev('dead-lettered', { experimentId: 'e1', stage: 'analyse_batch', stageIndex: 1, index: 9, taskId: 'e1/1/9' }));
    const r = referenceChecker.check(withFinals(inputOf(h, ['e1'], { references: new Map([['e1', golden('g1')]]) }), { e1: 'other' }));
    expect(r.valid).toBe(true);
    expect(r.evidence[0].message).toBe('experiment e1: analyse_batch task e1/1/9 was skipped (dead-lettered); its result is not compared with the golden reference');
  });

  it('no reference: the summary gives the reason it was skipped', () => {
    const r = referenceChecker.check(inputOf(history(completedExperiment('e1')), ['e1'], { referenceSkipped: 'reference skipped: stub agents replaced the handlers (--stub-agents)' }));
    expect(r).toMatchObject({ valid: true, summary: 'reference skipped: stub agents replaced the handlers (--stub-agents)' });
  });
});
