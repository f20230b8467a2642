import { describe, expect, it } from 'vitest';
import { findPhrase, normaliseTerm, tokenize } from '../../src/analysis/tokenize.js';

describe('tokenize', () => {
  it('lower-cases words and keeps offsets into the original text', () => {
    expect(tokenize('So-called  People’s ruling, 2024!')).toEqual([
      { word: 'so-called', start: 0, end: 9 },
      { word: "people's", start: 11, end: 19 },
      { word: 'ruling', start: 20, end: 26 },
      { word: '2024', start: 28, end: 32 },
    ]);
    // a trailing apostrophe is not part of the word
    expect(tokenize("judges' ruling").map((t) => t.word)).toEqual(['judges', 'ruling']);
  });

  it('normalises terms to single-spaced lowercase words', () => {
    expect(normaliseTerm('  Rule   of LAW ')).toBe('rule of law');
    expect(normaliseTerm('...')).toBe('');
  });

  it('matches phrases on whole words, across whitespace but not punctuation', () => {
    const text = 'The rule of law. The Rule\nof Law! rule, of law; misrule of lawyers';
    const tokens = tokenize(text);
    expect(findPhrase(text, tokens, ['rule', 'of', 'law'])).toEqual([4, 21]);
  });

  it('does not count overlapping occurrences of the same phrase twice', () => {
    const text = 'no no no';
    expect(findPhrase(text, tokenize(text), ['no', 'no'])).toEqual([0]);
  });
});
