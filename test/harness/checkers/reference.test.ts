import { describe, expect, it } from 'vitest';
import { integrityChecker } from '../../../harness/checkers/result-integrity.js';
import { referenceChecker } from '../../../harness/checkers/reference.js';
import type { ReferenceRun } from '../../../harness/checkers/types.js';
import { advance, claim, complete, ev, history, inputOf, runStage, STAGES, submit, tid } from './build-history.js';

/** The reference run: every output hashes to `r-<stage>-<index>`. */
const REF: ReferenceRun = {
  stages: STAGES.map((stage, si) => ({ stage, hashes: Array.from({ length: [1, 3, 1, 2, 1][si] }, (_, i) => `r-${si}-${i}`) })),
  resultHash: 'r-4-0',
};

/** One completed experiment whose outputs are the reference's, except `wrong` (si/i → hash). */
function experiment(exp: string, wrong: Record<string, string> = {}) {
  const stage = (si: number, width: number) => Array.from({ length: width }, (_, i) => [
    claim(exp, si, i), complete(exp, si, i, undefined, wrong[`${si}/${i}`] ?? `r-${si}-${i}`),
  ]).flat();
  return [
    ...submit(exp),
    ...stage(0, 1), ...advance(exp, 1, 3), ...stage(1, 3), ...advance(exp, 2, 1), ...stage(2, 1),
    ...advance(exp, 3, 2), ...stage(3, 2), ...advance(exp, 4, 1), ...stage(4, 1),
    ev('experiment-completed', { experimentId: exp }),
  ];
}

describe('reference checker', () => {
  it('is valid when every completed experiment reproduces the reference run', () => {
    const h = history(experiment('e1'), experiment('e2'));
    const r = referenceChecker.check(inputOf(h, ['e1', 'e2'], { reference: REF }));
    expect(r).toMatchObject({ valid: true, summary: '2 completed experiments reproduce the reference run', metrics: { 'reference.compared': 2, 'reference.mismatched': 0 } });
  });

  it('a well-formed but wrong output passes integrity today; the reference names the first stage and task that differs', () => {
    // a fallback turned analyse task 1 into a neutral default; everything downstream differs too
    const h = history(experiment('e1', { '1/1': 'neutral', '2/0': 'x', '4/0': 'y' }));
    expect(integrityChecker.check(inputOf(h, ['e1'])).valid).toBe(true);
    const r = referenceChecker.check(inputOf(h, ['e1'], { reference: REF }));
    expect(r.valid).toBe(false);
    expect(r.metrics['reference.mismatched']).toBe(1);
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]).toMatchObject({ experimentId: 'e1', stage: 'analyse_batch', taskId: tid('e1', 1, 1) });
    expect(r.evidence[0].message).toMatch(/^experiment e1: analyse_batch task e1\/1\/1 output neutral differs from the reference r-1-1 \(completed at seq \d+ by w-analyse_batch\)$/);
  });

  it('a final result that differs from the reference (stage outputs unobserved) is named', () => {
    const h = history(experiment('e1'));
    const input = inputOf(h, ['e1'], { reference: REF });
    input.health = { ...input.health, results: [{ experimentId: 'e1', resultHash: 'other', resolved: true, matches: true, schemaValid: true, schemaErrors: [] }] };
    const r = referenceChecker.check(input);
    expect(r.valid).toBe(false);
    expect(r.evidence[0].message).toBe('experiment e1: final result other differs from the reference r-4-0');
  });

  it('a wider fan-out than the reference is a difference', () => {
    const h = history(submit('e1'), runStage('e1', 0, 1), advance('e1', 1, 4), runStage('e1', 1, 4), ev('experiment-completed', { experimentId: 'e1' }));
    const r = referenceChecker.check(inputOf(h, ['e1'], { reference: REF }));
    expect(r.valid).toBe(false);
    expect(r.evidence[0]).toMatchObject({ stage: 'pre_test', taskId: tid('e1', 0, 0) });
  });

  it('failed experiments are not compared', () => {
    const h = history(submit('e1'), claim('e1', 0, 0), complete('e1', 0, 0, undefined, 'whatever'), ev('experiment-failed', { experimentId: 'e1' }));
    expect(referenceChecker.check(inputOf(h, ['e1'], { reference: REF })).metrics).toMatchObject({ 'reference.compared': 0, 'reference.mismatched': 0 });
  });

  it('a task that completed although its only agent execution threw is a fake success', () => {
    const T = tid('e1', 1, 1);
    const base = { experimentId: 'e1', stage: 'analyse_batch', stageIndex: 1, index: 1, taskId: T, attempt: 1, pid: 7 };
    const h = history(experiment('e1'), ev('agent-started', { ...base, ts: 5000 }), ev('agent-ended', { ...base, ts: 5001, outcome: 'threw' }),
      { ...complete('e1', 1, 1, 'w-7', 'r-1-1'), pid: 7, ts: 5002 });
    const r = referenceChecker.check(inputOf(h, ['e1'], { reference: REF }));
    expect(r.valid).toBe(false);
    expect(r.metrics['reference.fake_successes']).toBe(1);
    expect(r.evidence[0].message).toMatch(/^task e1\/1\/1 \(analyse_batch\) completed at seq \d+ by w-7 although its agent never succeeded: attempt 1 threw at seq \d+$/);
    // a retry that succeeded: no fake
    const ok = history(experiment('e1'), ev('agent-started', { ...base, ts: 5000 }), ev('agent-ended', { ...base, ts: 5001, outcome: 'timed-out' }),
      ev('agent-started', { ...base, attempt: 2, ts: 5100 }), ev('agent-ended', { ...base, attempt: 2, ts: 5101, outcome: 'ok' }));
    expect(referenceChecker.check(inputOf(ok, ['e1'], { reference: REF })).valid).toBe(true);
  });
});
