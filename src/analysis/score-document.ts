import type { Document } from './corpus-schema.js';
import { PATTERN_FLAGS, type Dimension, type Framework, type LexiconEntry, type LexiconSide } from './framework-schema.js';
import { round6 } from './round.js';
import type { DimensionScore, DocumentScore, Evidence } from './score-schema.js';
import { findPhrase, tokenize, type Token } from './tokenize.js';

/**
 * Smoothing constant of the normalised score
 *
 *     score = (for − against) / (for + against + SCORE_SMOOTHING_K)
 *
 * where `for`/`against` are the weighted match sums. With k = 2 a single weight-1 match
 * gives ±1/3, and a score approaches ±1 only with plenty of one-sided evidence; a document
 * with no evidence scores 0.
 */
export const SCORE_SMOOTHING_K = 2;

/**
 * Start offsets of an entry's matches in `text`. Terms match whole words/phrases
 * (case-insensitive, see tokenize.ts); patterns match with flags `giu` and may overlap other
 * entries. Different entries are matched independently, so overlapping entries both count.
 */
export function matchEntry(entry: LexiconEntry, text: string, tokens: readonly Token[]): number[] {
  if (entry.term !== undefined) {
    return findPhrase(text, tokens, tokenize(entry.term).map((t) => t.word));
  }
  const offsets: number[] = [];
  for (const m of text.matchAll(new RegExp(entry.pattern, PATTERN_FLAGS))) {
    if (m[0].length > 0) offsets.push(m.index ?? 0);
  }
  return offsets;
}

export function normalisedScore(forSum: number, againstSum: number): number {
  return round6((forSum - againstSum) / (forSum + againstSum + SCORE_SMOOTHING_K));
}

/** Scores pre-tokenised text on one dimension. Evidence follows lexicon order, `for` first. */
export function scoreDimension(dimension: Dimension, text: string, tokens: readonly Token[]): DimensionScore {
  const sums: Record<LexiconSide, number> = { for: 0, against: 0 };
  const evidence: Evidence[] = [];
  for (const side of ['for', 'against'] as const) {
    for (const entry of dimension.lexicon[side]) {
      const offsets = matchEntry(entry, text, tokens);
      if (offsets.length === 0) continue;
      sums[side] += entry.weight * offsets.length;
      evidence.push({
        term: entry.term ?? entry.pattern ?? '',
        kind: entry.term !== undefined ? 'term' : 'pattern',
        side,
        weight: entry.weight,
        count: offsets.length,
        offsets,
      });
    }
  }
  return {
    score: normalisedScore(sums.for, sums.against),
    for: round6(sums.for),
    against: round6(sums.against),
    evidence,
  };
}

/** Scores one document on every dimension of the framework. */
export function scoreDocument(doc: Pick<Document, 'id' | 'title' | 'text'>, framework: Framework): DocumentScore {
  const tokens = tokenize(doc.text);
  const scores: Record<string, DimensionScore> = {};
  for (const dimension of framework.dimensions) {
    scores[dimension.id] = scoreDimension(dimension, doc.text, tokens);
  }
  return { id: doc.id, title: doc.title, wordCount: tokens.length, scores };
}
