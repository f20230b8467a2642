import { describe, expect, it } from 'vitest';
import { evidenceDensity, reviewEvidenceCoverage } from '../../src/analysis/review-evidence-coverage.js';
import { DOC_A, synthesiseTexts } from './helpers.js';

describe('evidence-coverage review', () => {
  it('computes matches per 100 words', () => {
    expect(evidenceDensity(3, 10)).toBe(30);
    expect(evidenceDensity(1, 300)).toBe(0.333333);
    expect(evidenceDensity(5, 0)).toBe(0);
  });

  it('flags empty documents, single-term dimensions and partial evidence', () => {
    const findings = reviewEvidenceCoverage(synthesiseTexts({ a: DOC_A.text, e: 'Nothing relevant at all here.' }));
    expect(findings).toEqual([
      {
        id: 'evidence/no-evidence-document/e',
        severity: 'critical',
        document: 'e',
        message: 'e has no lexicon match on any dimension; its scores carry no information',
      },
      {
        id: 'evidence/single-term/unity',
        severity: 'warning',
        dimension: 'unity',
        message: 'every unity score rests on a single lexicon entry ("together")',
      },
      { id: 'evidence/summary', severity: 'info', message: '3 lexicon matches in 15 words (20.000 per 100 words)' },
    ]);
  });

  it('flags low density, sparse dimensions, dominant terms and missing dimension evidence', () => {
    const filler = Array.from({ length: 99 }, () => 'word').join(' ');
    const findings = reviewEvidenceCoverage(
      synthesiseTexts({
        long: `court ${filler}`,
        p: 'court court decree',
        q: 'court together traitors',
      }),
    );
    expect(findings).toEqual([
      {
        id: 'evidence/low-density/long',
        severity: 'warning',
        document: 'long',
        message: 'long has 1 matches in 100 words (1.000 per 100 words < 2)',
      },
      {
        id: 'evidence/sparse-dimension/unity',
        severity: 'warning',
        dimension: 'unity',
        message: 'unity has evidence in only 1 of 3 documents',
      },
      { id: 'evidence/dominant-term/law', severity: 'info', dimension: 'law', message: '"court" supplies 4 of 5 law matches' },
      {
        id: 'evidence/no-evidence/long',
        severity: 'info',
        document: 'long',
        message: 'long has no evidence on 1 of 2 dimensions (unity); those scores are 0 by default',
      },
      {
        id: 'evidence/no-evidence/p',
        severity: 'info',
        document: 'p',
        message: 'p has no evidence on 1 of 2 dimensions (unity); those scores are 0 by default',
      },
      { id: 'evidence/summary', severity: 'info', message: '7 lexicon matches in 106 words (6.604 per 100 words)' },
    ]);
  });

  it('flags a dimension without any evidence as critical', () => {
    const findings = reviewEvidenceCoverage(synthesiseTexts({ a: 'court', b: 'decree' }));
    expect(findings.filter((f) => f.severity === 'critical')).toEqual([
      {
        id: 'evidence/no-evidence-dimension/unity',
        severity: 'critical',
        dimension: 'unity',
        message: 'no lexicon entry of unity matched any document; its scores are all 0',
      },
    ]);
  });
});
