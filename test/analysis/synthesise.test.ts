import { describe, expect, it } from 'vitest';
import { aggregateTerms, overallScore } from '../../src/analysis/synthesise.js';
import { summariseFramework } from '../../src/analysis/synthesis-schema.js';
import { DOC_A, DOC_B, miniFramework, synthesiseTexts } from './helpers.js';

describe('synthesise', () => {
  it('summarises the two-document mini corpus exactly', () => {
    const s = synthesiseTexts({ b: DOC_B.text, a: DOC_A.text });
    expect(s.documentCount).toBe(2);
    expect(s.batchCount).toBe(2);
    expect(s.documents.map((d) => d.id)).toEqual(['a', 'b']);
    // overall = (2·law + 1·unity) / 3
    expect(s.documents.map((d) => d.overall)).toEqual([0.511111, -0.611111]);
    expect(s.dimensions.map(({ terms: _t, ...d }) => d)).toEqual([
      {
        id: 'law',
        name: 'Law',
        weight: 2,
        // (0.6 − 0.666667) / 2 = −0.0333335, rounded in binary floating point
        mean: -0.033334,
        stdev: 0.633334,
        min: -0.666667,
        max: 0.6,
        minDoc: 'b',
        maxDoc: 'a',
        matches: 4,
        distinctTerms: 4,
        documentsWithEvidence: 2,
      },
      {
        id: 'unity',
        name: 'Unity',
        weight: 1,
        mean: -0.083333,
        stdev: 0.416667,
        min: -0.5,
        max: 0.333333,
        minDoc: 'b',
        maxDoc: 'a',
        matches: 2,
        distinctTerms: 2,
        documentsWithEvidence: 2,
      },
    ]);
    expect(s.overall).toEqual({ mean: -0.05, stdev: 0.561111, min: -0.611111, max: 0.511111 });
    expect(s.ranking).toEqual([
      { rank: 1, id: 'a', title: 'A', overall: 0.511111 },
      { rank: 2, id: 'b', title: 'B', overall: -0.611111 },
    ]);
    expect(s.correlations).toEqual({ dimensions: ['law', 'unity'], matrix: [[1, 1], [1, 1]] });
    expect(s.batches).toEqual([
      { batchIndex: 0, documentIds: ['b'] },
      { batchIndex: 1, documentIds: ['a'] },
    ]);
  });

  it('ranks ties by id and picks the first document by id for min/max', () => {
    const s = synthesiseTexts({ z: 'court', m: 'court', c: 'decree' });
    expect(s.ranking.map((r) => r.id)).toEqual(['m', 'z', 'c']);
    expect(s.dimensions[0].maxDoc).toBe('m');
    expect(s.dimensions[0].minDoc).toBe('c');
    // unity has no evidence anywhere: zero variance, so correlations with it are 0
    expect(s.dimensions[1]).toMatchObject({ mean: 0, stdev: 0, matches: 0, distinctTerms: 0, documentsWithEvidence: 0 });
    expect(s.correlations.matrix).toEqual([[1, 0], [0, 0]]);
  });

  it('weights the overall score by dimension weight', () => {
    expect(overallScore({ law: 0.5, unity: -1 }, summariseFramework(miniFramework))).toBe(0);
    expect(overallScore({ law: 0.3, unity: 0.3 }, summariseFramework(miniFramework))).toBe(0.3);
  });

  it('aggregates term counts by count, then side, kind and term', () => {
    expect(
      aggregateTerms([
        { term: 'b', kind: 'term', side: 'for', count: 1 },
        { term: 'a', kind: 'term', side: 'against', count: 1 },
        { term: 'b', kind: 'term', side: 'for', count: 2 },
        { term: 'a', kind: 'term', side: 'for', count: 1 },
      ]),
    ).toEqual([
      { term: 'b', kind: 'term', side: 'for', count: 3 },
      { term: 'a', kind: 'term', side: 'against', count: 1 },
      { term: 'a', kind: 'term', side: 'for', count: 1 },
    ]);
  });
});
