import { describe, expect, it } from 'vitest';
import { review } from '../../src/agents/review.js';
import type { ReviewOutput } from '../../src/agents/stage-schemas.js';
import { reviewEvidenceCoverage } from '../../src/analysis/review-evidence-coverage.js';
import { reviewStatisticalConsistency } from '../../src/analysis/review-statistical-consistency.js';
import { failureCode, makeCtx } from './context.js';
import { miniSynthesis } from './stage-fixtures.js';

describe('review', () => {
  it('index 0 applies the statistical-consistency lens', async () => {
    const s = await miniSynthesis();
    const out = (await review(makeCtx({ stage: 'review', inputs: [s], inputHashes: ['abc'], index: 0, width: 2 }))).output as ReviewOutput;
    expect(out.lens).toBe('statistical-consistency');
    expect(out.reviewer).toBe(0);
    expect(out.synthesisHash).toBe('abc');
    expect(out.findings).toEqual(reviewStatisticalConsistency(s));
    expect(out.findings.map((f) => f.id)).toEqual([
      'stat/high-correlation/law~unity',
      'stat/strongest-dimension',
      'stat/summary',
      'stat/weakest-dimension',
    ]);
  });

  it('index 1 applies the evidence-coverage lens', async () => {
    const s = await miniSynthesis();
    const out = (await review(makeCtx({ stage: 'review', inputs: [s], inputHashes: ['abc'], index: 1, width: 2 }))).output as ReviewOutput;
    expect(out.lens).toBe('evidence-coverage');
    expect(out.reviewer).toBe(1);
    expect(out.findings).toEqual(reviewEvidenceCoverage(s));
    expect(out.findings.map((f) => f.id)).toEqual(['evidence/dominant-term/unity', 'evidence/summary']);
  });

  it('refuses other indexes, missing input and malformed syntheses', async () => {
    const s = await miniSynthesis();
    expect(await failureCode(() => review(makeCtx({ stage: 'review', inputs: [s], index: 2 })))).toBe('INVALID_INPUT');
    expect(await failureCode(() => review(makeCtx({ stage: 'review', inputs: [], missing: [0], expectedInputs: 1 })))).toBe('PARTIAL_INPUT');
    expect(await failureCode(() => review(makeCtx({ stage: 'review', inputs: [{ ...s, kind: 'other' }] })))).toBe('INVALID_INPUT');
  });
});
