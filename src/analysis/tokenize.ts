/**
 * Word tokenisation with character offsets into the original text.
 *
 * A word is a run of letters/digits, optionally joined by an apostrophe or hyphen
 * (`so-called`, `people's`). Words are lower-cased and the typographic apostrophe (’)
 * is normalised to '. Offsets always refer to the original (un-lowered) text.
 */
export interface Token {
  /** Normalised (lower-case) word. */
  readonly word: string;
  /** Offset of the first character in the original text. */
  readonly start: number;
  /** Offset one past the last character. */
  readonly end: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const WHITESPACE_ONLY = /^\s+$/u;

export function normaliseWord(word: string): string {
  return word.toLowerCase().replace(/’/g, "'");
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    tokens.push({ word: normaliseWord(m[0]), start, end: start + m[0].length });
  }
  return tokens;
}

/** The canonical form of a lexicon term: its words joined by single spaces. */
export function normaliseTerm(term: string): string {
  return tokenize(term)
    .map((t) => t.word)
    .join(' ');
}

/**
 * Start offsets of every occurrence of `words` as consecutive tokens of `text`, where the
 * gaps between the phrase's words are whitespace only (so a phrase never spans punctuation).
 * Occurrences of the same phrase do not overlap (scanning resumes after a match).
 */
export function findPhrase(text: string, tokens: readonly Token[], words: readonly string[]): number[] {
  const offsets: number[] = [];
  const n = words.length;
  if (n === 0) return offsets;
  let i = 0;
  while (i + n <= tokens.length) {
    let ok = true;
    for (let j = 0; j < n; j++) {
      const tok = tokens[i + j];
      if (tok.word !== words[j]) {
        ok = false;
        break;
      }
      if (j > 0 && !WHITESPACE_ONLY.test(text.slice(tokens[i + j - 1].end, tok.start))) {
        ok = false;
        break;
      }
    }
    if (ok) {
      offsets.push(tokens[i].start);
      i += n;
    } else {
      i += 1;
    }
  }
  return offsets;
}
