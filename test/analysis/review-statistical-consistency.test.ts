import { describe, expect, it } from 'vitest';
import { reviewStatisticalConsistency } from '../../src/analysis/review-statistical-consistency.js';
import { DOC_A, DOC_B, synthesiseTexts } from './helpers.js';

const ids = (findings: { id: string }[]): string[] => findings.map((f) => f.id);

describe('statistical-consistency review', () => {
  it('flags perfectly correlated dimensions and reports summaries on a consistent synthesis', () => {
    const findings = reviewStatisticalConsistency(synthesiseTexts({ a: DOC_A.text, b: DOC_B.text }));
    expect(findings).toEqual([
      {
        id: 'stat/high-correlation/law~unity',
        severity: 'warning',
        dimension: 'law',
        message: 'law and unity are highly correlated (r = 1.000); they may measure the same thing',
      },
      { id: 'stat/strongest-dimension', severity: 'info', dimension: 'law', message: 'highest mean score: law (-0.033)' },
      { id: 'stat/summary', severity: 'info', message: '2 documents in 2 batches; overall mean -0.050 (stdev 0.561)' },
      { id: 'stat/weakest-dimension', severity: 'info', dimension: 'unity', message: 'lowest mean score: unity (-0.083)' },
    ]);
  });

  it('flags a dimension with near-zero variance', () => {
    const s = synthesiseTexts({ a: 'court together', b: 'court traitors', c: 'court' });
    expect(s.dimensions[0].stdev).toBe(0);
    const findings = reviewStatisticalConsistency(s);
    expect(findings[0]).toEqual({
      id: 'stat/low-variance/law',
      severity: 'warning',
      dimension: 'law',
      message: 'law barely varies across documents (stdev 0.000 < 0.02); it does not discriminate',
    });
    expect(ids(findings)).not.toContain('stat/high-correlation/law~unity');
  });

  it('reports counts that do not add up as critical', () => {
    const s = synthesiseTexts({ a: DOC_A.text, b: DOC_B.text });
    s.documentCount = 3;
    s.batchCount = 1;
    const findings = reviewStatisticalConsistency(s);
    expect(ids(findings.filter((f) => f.severity === 'critical'))).toEqual([
      'stat/count-mismatch/batch-documents',
      'stat/count-mismatch/batches',
      'stat/count-mismatch/documents',
      'stat/count-mismatch/ranking',
    ]);
  });

  it('reports a ranking that disagrees with the scores and the mean', () => {
    const s = synthesiseTexts({ a: DOC_A.text, b: DOC_B.text });
    s.ranking.reverse();
    s.overall.mean = 0.9;
    const critical = ids(reviewStatisticalConsistency(s).filter((f) => f.severity === 'critical'));
    expect(critical).toEqual(['stat/mean-ranking-disagree', 'stat/ranking-order']);
  });

  it('recomputes dimension summaries and overall scores', () => {
    const s = synthesiseTexts({ a: DOC_A.text, b: DOC_B.text });
    s.dimensions[1].mean = 0.2;
    s.documents[0].overall = 0.4;
    s.ranking[0].overall = 0.4;
    const critical = reviewStatisticalConsistency(s).filter((f) => f.severity === 'critical');
    expect(critical).toEqual([
      {
        id: 'stat/mean-ranking-disagree',
        severity: 'critical',
        message: 'overall mean -0.050 is inconsistent with the ranked document scores',
      },
      {
        id: 'stat/overall-mismatch/a',
        severity: 'critical',
        document: 'a',
        message: 'overall score of a is 0.400 but the weighted dimension scores give 0.511',
      },
      {
        id: 'stat/summary-mismatch/unity',
        severity: 'critical',
        dimension: 'unity',
        message: 'summary of unity (mean 0.200, min -0.500, max 0.333) does not match the document scores',
      },
    ]);
  });

  it('reports outliers at |z| >= 2', () => {
    const texts: Record<string, string> = { z: 'purge purge purge traitors' };
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) texts[id] = 'court together';
    // z: law = -9/11, unity = -2/4, overall = (2·law + unity)/3 = -0.712121; one outlier among 7 has z = -√6
    const findings = reviewStatisticalConsistency(synthesiseTexts(texts));
    expect(findings.filter((f) => f.id.startsWith('stat/outlier/'))).toEqual([
      { id: 'stat/outlier/z', severity: 'info', document: 'z', message: 'z is an outlier (overall -0.712, z = -2.449)' },
    ]);
  });
});
