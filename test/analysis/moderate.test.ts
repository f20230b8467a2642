import { describe, expect, it } from 'vitest';
import { decideVerdict, mergeFindings, moderate } from '../../src/analysis/moderate.js';
import { finalReportSchema } from '../../src/analysis/report-schema.js';
import { reviewEvidenceCoverage } from '../../src/analysis/review-evidence-coverage.js';
import { reviewStatisticalConsistency } from '../../src/analysis/review-statistical-consistency.js';
import type { Synthesis } from '../../src/analysis/synthesis-schema.js';
import { DOC_A, DOC_B, synthesiseTexts } from './helpers.js';

function bothReviews(s: Synthesis) {
  return [
    { lens: 'statistical-consistency' as const, reviewer: 0, findings: reviewStatisticalConsistency(s) },
    { lens: 'evidence-coverage' as const, reviewer: 1, findings: reviewEvidenceCoverage(s) },
  ];
}

describe('decideVerdict', () => {
  const base = { overallMean: 0.5, negativeShare: 0, criticalCount: 0, reviewsConsidered: 2 };
  it('applies the documented rule', () => {
    expect(decideVerdict(base)).toBe('healthy');
    expect(decideVerdict({ ...base, overallMean: -0.01 })).toBe('unhealthy');
    expect(decideVerdict({ ...base, overallMean: -0.01, criticalCount: 3 })).toBe('unhealthy');
    expect(decideVerdict({ ...base, overallMean: 0.2499 })).toBe('concerns');
    expect(decideVerdict({ ...base, overallMean: 0.25 })).toBe('healthy');
    expect(decideVerdict({ ...base, criticalCount: 1 })).toBe('concerns');
    expect(decideVerdict({ ...base, negativeShare: 0.25 })).toBe('concerns');
    expect(decideVerdict({ ...base, reviewsConsidered: 1 })).toBe('concerns');
  });
});

describe('mergeFindings', () => {
  it('keeps one finding per id with the highest severity and every raising lens', () => {
    const merged = mergeFindings([
      { lens: 'evidence-coverage', reviewer: 1, findings: [{ id: 'x', severity: 'critical', message: 'from evidence' }] },
      {
        lens: 'statistical-consistency',
        reviewer: 0,
        findings: [
          { id: 'x', severity: 'info', message: 'from stats' },
          { id: 'a', severity: 'info', message: 'only stats' },
        ],
      },
    ]);
    expect(merged).toEqual([
      { id: 'x', severity: 'critical', message: 'from stats', raisedBy: ['statistical-consistency', 'evidence-coverage'] },
      { id: 'a', severity: 'info', message: 'only stats', raisedBy: ['statistical-consistency'] },
    ]);
  });
});

describe('moderate', () => {
  it('gives a healthy verdict to a supportive corpus reviewed by both lenses', () => {
    const s = synthesiseTexts({ a: DOC_A.text, c: 'court together' });
    const report = moderate(s, 'h1', bothReviews(s));
    expect(finalReportSchema.parse(report)).toEqual(report);
    expect(report.verdict).toBe('healthy');
    expect(report.verdictBasis).toMatchObject({ overallMean: 0.422222, negativeShare: 0, criticalCount: 0, reviewsConsidered: 2 });
    expect(report.reviewsMissing).toEqual([]);
    expect(report.reviewsConsidered.map((r) => r.lens)).toEqual(['statistical-consistency', 'evidence-coverage']);
    expect(report.ranking.map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('gives an unhealthy verdict when the overall mean is negative', () => {
    const s = synthesiseTexts({ a: DOC_A.text, b: DOC_B.text });
    const report = moderate(s, 'h2', bothReviews(s));
    expect(report.verdict).toBe('unhealthy');
    expect(report.verdictBasis).toMatchObject({ overallMean: -0.05, negativeShare: 0.5 });
  });

  it('says so when a review is missing, and is not healthy', () => {
    const s = synthesiseTexts({ a: DOC_A.text, c: 'court together' });
    const report = moderate(s, 'h3', [bothReviews(s)[1]]);
    expect(report.reviewsMissing).toEqual(['statistical-consistency']);
    expect(report.verdict).toBe('concerns');
    expect(report.findings.find((f) => f.id === 'moderation/missing-review/statistical-consistency')).toEqual({
      id: 'moderation/missing-review/statistical-consistency',
      severity: 'warning',
      message: 'the statistical-consistency review is missing; this report considers only: evidence-coverage',
      raisedBy: ['moderation'],
    });
    expect(report.findings.every((f) => f.raisedBy.length === 1 && f.raisedBy[0] !== 'statistical-consistency')).toBe(true);
  });
});
