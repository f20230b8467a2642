import { describe, expect, it } from 'vitest';
import { moderation } from '../../src/agents/moderation.js';
import { review } from '../../src/agents/review.js';
import type { ReviewOutput } from '../../src/agents/stage-schemas.js';
import { finalReportSchema, type FinalReport } from '../../src/analysis/report-schema.js';
import type { Synthesis } from '../../src/analysis/synthesis-schema.js';
import { failureCode, makeCtx } from './context.js';
import { miniSynthesis } from './stage-fixtures.js';

async function setup(): Promise<{ synthesis: Synthesis; reviews: ReviewOutput[]; loads: string[]; load: (h: string) => Promise<unknown> }> {
  const synthesis = await miniSynthesis();
  const reviews: ReviewOutput[] = [];
  for (const index of [0, 1]) {
    reviews.push((await review(makeCtx({ stage: 'review', inputs: [synthesis], inputHashes: ['syn-1'], index, width: 2 }))).output as ReviewOutput);
  }
  const loads: string[] = [];
  const load = async (hash: string): Promise<unknown> => {
    loads.push(hash);
    if (hash !== 'syn-1') throw new Error(`unknown hash ${hash}`);
    return JSON.parse(JSON.stringify(synthesis));
  };
  return { synthesis, reviews, loads, load };
}

describe('moderation', () => {
  it('builds the final report from both reviews and the synthesis loaded by hash', async () => {
    const { reviews, loads, load } = await setup();
    const report = (await moderation(makeCtx({ stage: 'moderation', inputs: reviews, load }))).output as FinalReport;
    expect(loads).toEqual(['syn-1']);
    expect(finalReportSchema.parse(report)).toEqual(report);
    expect(report.schema).toBe('fanin.constitutional-report/v1');
    expect(report.synthesisHash).toBe('syn-1');
    expect(report.documentCount).toBe(3);
    expect(report.batchCount).toBe(3);
    expect(report.reviewsMissing).toEqual([]);
    expect(report.reviewsConsidered).toEqual([
      { lens: 'statistical-consistency', reviewer: 0, findingCount: 4 },
      { lens: 'evidence-coverage', reviewer: 1, findingCount: 2 },
    ]);
    expect(report.findings.map((f) => [f.id, f.raisedBy.join('+')])).toEqual([
      ['stat/high-correlation/law~unity', 'statistical-consistency'],
      ['evidence/dominant-term/unity', 'evidence-coverage'],
      ['evidence/summary', 'evidence-coverage'],
      ['stat/strongest-dimension', 'statistical-consistency'],
      ['stat/summary', 'statistical-consistency'],
      ['stat/weakest-dimension', 'statistical-consistency'],
    ]);
    // mean 0.077778 < 0.25 and 1 of 3 documents negative
    expect(report.verdict).toBe('concerns');
    expect(report.verdictBasis).toMatchObject({ overallMean: 0.077778, negativeShare: 0.333333, criticalCount: 0, warningCount: 1 });
  });

  it('works with one review and says which lens is missing', async () => {
    const { reviews, load } = await setup();
    const report = (await moderation(makeCtx({ stage: 'moderation', inputs: [reviews[1]], missing: [0], expectedInputs: 2, load }))).output as FinalReport;
    expect(report.reviewsMissing).toEqual(['statistical-consistency']);
    expect(report.reviewsConsidered.map((r) => r.lens)).toEqual(['evidence-coverage']);
    expect(report.findings.map((f) => f.id)).toContain('moderation/missing-review/statistical-consistency');
    expect(report.verdictBasis.reviewsConsidered).toBe(1);
  });

  it('refuses no reviews, duplicate or mismatched reviews', async () => {
    const { reviews, load } = await setup();
    expect(await failureCode(() => moderation(makeCtx({ stage: 'moderation', inputs: [], missing: [0, 1], expectedInputs: 2, load })))).toBe(
      'PARTIAL_INPUT',
    );
    expect(await failureCode(() => moderation(makeCtx({ stage: 'moderation', inputs: [reviews[0], reviews[0]], load })))).toBe('INVALID_INPUT');
    const other = { ...reviews[1], synthesisHash: 'syn-2' };
    expect(await failureCode(() => moderation(makeCtx({ stage: 'moderation', inputs: [reviews[0], other], load })))).toBe('INVALID_INPUT');
    const wrongLens = { ...reviews[1], reviewer: 0 };
    expect(await failureCode(() => moderation(makeCtx({ stage: 'moderation', inputs: [wrongLens], load })))).toBe('INVALID_INPUT');
  });
});
