import { describe, expect, it } from 'vitest';
import { normalisedScore, scoreDocument, SCORE_SMOOTHING_K } from '../../src/analysis/score-document.js';
import { DOC_A, DOC_B, miniFramework } from './helpers.js';

describe('scoreDocument', () => {
  it('scores a supportive document exactly', () => {
    const s = scoreDocument(DOC_A, miniFramework);
    expect(s.wordCount).toBe(10);
    // law: for = 2 (rule of law) + 1 (court) = 3; score = 3 / (3 + 0 + 2) = 0.6
    expect(s.scores.law).toEqual({
      score: 0.6,
      for: 3,
      against: 0,
      evidence: [
        { term: 'rule of law', kind: 'term', side: 'for', weight: 2, count: 1, offsets: [4] },
        { term: 'court', kind: 'term', side: 'for', weight: 1, count: 1, offsets: [28] },
      ],
    });
    // unity: for = 1; score = 1 / 3
    expect(s.scores.unity.score).toBe(0.333333);
    expect(s.scores.unity.evidence).toEqual([{ term: 'together', kind: 'term', side: 'for', weight: 1, count: 1, offsets: [35] }]);
  });

  it('scores a hostile document exactly, with pattern evidence and strict phrase boundaries', () => {
    const s = scoreDocument(DOC_B, miniFramework);
    expect(s.wordCount).toBe(13);
    // "courts" is not "court" and "Rule, of law" spans punctuation: no `for` evidence.
    // law: against = 1 (decree) + 3 (purged) = 4; score = -4 / (0 + 4 + 2)
    expect(s.scores.law).toEqual({
      score: -0.666667,
      for: 0,
      against: 4,
      evidence: [
        { term: 'decree', kind: 'term', side: 'against', weight: 1, count: 1, offsets: [14] },
        { term: '\\bpurg(?:e|ed|ing)\\b', kind: 'pattern', side: 'against', weight: 3, count: 1, offsets: [25] },
      ],
    });
    // unity: against = 2 (traitors, case-insensitive); score = -2 / 4
    expect(s.scores.unity).toEqual({
      score: -0.5,
      for: 0,
      against: 2,
      evidence: [{ term: 'traitors', kind: 'term', side: 'against', weight: 2, count: 1, offsets: [44] }],
    });
  });

  it('gives 0 without evidence and uses the documented smoothing constant', () => {
    expect(SCORE_SMOOTHING_K).toBe(2);
    expect(normalisedScore(0, 0)).toBe(0);
    expect(normalisedScore(8, 0)).toBe(0.8);
    expect(normalisedScore(1, 3)).toBe(-0.333333);
    const s = scoreDocument({ id: 'x', title: 'X', text: 'Nothing relevant here.' }, miniFramework);
    expect(s.scores.law).toEqual({ score: 0, for: 0, against: 0, evidence: [] });
  });

  it('counts repeated matches and records every offset', () => {
    const s = scoreDocument({ id: 'r', title: 'R', text: 'Court, court and COURT.' }, miniFramework);
    expect(s.scores.law.evidence).toEqual([{ term: 'court', kind: 'term', side: 'for', weight: 1, count: 3, offsets: [0, 7, 17] }]);
    expect(s.scores.law.score).toBe(0.6); // 3 / (3 + 2)
  });
});
