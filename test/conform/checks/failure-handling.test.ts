import { describe, expect, it } from 'vitest';
import { failureHandlingCheck } from '../../../harness/conform/checks/failure-handling.js';
import type { ExperimentOutcome } from '../../../harness/conform/checks/types.js';
import { completed, correctRun, input, rec } from './ledger-fixtures.js';

const failing = (experiment: string, over: Partial<ExperimentOutcome> = {}, dead = false): ExperimentOutcome =>
  completed(experiment, 2, { expect: { kind: 'fail', stage: 'review', index: 1, dead }, wait: { status: 'failed', cause: 'review[1] attempt 3: boom', source: 'wait', durationMs: 5 }, ...over });

describe('failure handling check', () => {
  it('passes an experiment that ended failed with a cause, and a poison input submit refused', () => {
    const poison = completed('cf-2', 3, { expect: { kind: 'refuse' }, submit: { exitCode: 1, handle: null, stderr: 'refused', timedOut: false }, wait: { status: 'not-run', source: 'wait', durationMs: 0 } });
    expect(failureHandlingCheck(input([], [failing('cf-1'), poison]))).toEqual([]);
  });

  it('reports a hang, a fabricated success and a failure without a cause', () => {
    const hung = failing('cf-3', { wait: { status: 'hung', source: 'wait', durationMs: 20000, detail: 'wait did not answer within the experiment timeout (20000 ms)' } });
    const fabricated = failing('cf-4', { wait: { status: 'completed', output: 'ab', source: 'wait', durationMs: 5 } });
    const noCause = failing('cf-5', { wait: { status: 'failed', cause: ' ', source: 'wait', durationMs: 5 } });
    const ev = failureHandlingCheck(input(correctRun('cf-4', 2), [hung, fabricated, noCause]));
    expect(ev).toEqual([
      'experiment cf-3: hung (wait did not answer within the experiment timeout (20000 ms)) although review[1] fails every attempt',
      'experiment cf-4: reported completed (output ab) although review[1] fails every attempt: a fabricated success',
      expect.stringMatching(/^experiment cf-4: moderation\[0\] ended ok although review\[1\] fails every attempt \(ledger \d+-0\)$/),
      'experiment cf-5: ended failed without a cause although review[1] fails every attempt',
    ]);
  });

  it('requires a dead record for a rejected task', () => {
    const recs = [rec('start', 'cf-6', 'review', 1, 'w.0.1'), rec('end', 'cf-6', 'review', 1, 'w.0.1', { ok: false, error: 'directive reject' })];
    expect(failureHandlingCheck(input(recs, [failing('cf-6', {}, true)]))).toEqual([
      expect.stringMatching(/^experiment cf-6: review\[1\] was rejected but never dead-lettered \(no dead record\) \(ledger \d+-0\.\.\d+-0\)$/),
    ]);
    const dead = [...recs, rec('dead', 'cf-6', 'review', 1, 'w.0.1', { reason: 'poison' })];
    expect(failureHandlingCheck(input(dead, [failing('cf-6', {}, true)]))).toEqual([]);
  });

  it('calls a poison input accepted and never answered silently dropped', () => {
    const poison = completed('cf-7', 3, { expect: { kind: 'refuse' }, wait: { status: 'hung', source: 'wait', durationMs: 20000, detail: 'no answer' } });
    expect(failureHandlingCheck(input([], [poison]))).toEqual([
      'experiment cf-7: hung (no answer) although its input is malformed (poison); submit accepted it (handle "cf-7") and no dead record names it: silently dropped',
    ]);
  });
});
