import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaninError } from '../../src/errors.js';
import { loadCorpusDir, loadFramework, loadReferenceInput } from '../../src/analysis/load-fixtures.js';
import { scoreDocument } from '../../src/analysis/score-document.js';
import { tokenize } from '../../src/analysis/tokenize.js';

describe('reference fixtures', () => {
  const { corpus, framework } = loadReferenceInput();

  it('loads 14 speeches sorted by id, each 150–350 words', () => {
    expect(corpus).toHaveLength(14);
    expect(corpus[0].id).toBe('s01-harbour-charter');
    expect(corpus.map((d) => d.id)).toEqual([...corpus.map((d) => d.id)].sort());
    for (const doc of corpus) {
      const words = tokenize(doc.text).length;
      expect(words, doc.id).toBeGreaterThanOrEqual(150);
      expect(words, doc.id).toBeLessThanOrEqual(350);
    }
  });

  it('loads the CHF v1.1 framework with 6 dimensions of 8–15 entries per side', () => {
    expect(framework.id).toBe('chf');
    expect(framework.version).toBe('1.1');
    expect(framework.dimensions.map((d) => d.id)).toEqual([
      'procedural_legitimacy',
      'institutional_respect',
      'rule_of_law',
      'rights_protection',
      'civic_unity',
      'democratic_accountability',
    ]);
    for (const d of framework.dimensions) {
      for (const side of ['for', 'against'] as const) {
        expect(d.lexicon[side].length, `${d.id}.${side}`).toBeGreaterThanOrEqual(8);
        expect(d.lexicon[side].length, `${d.id}.${side}`).toBeLessThanOrEqual(15);
      }
    }
  });

  it('has a lexicon that matches the corpus on both sides of every dimension', () => {
    const scores = corpus.map((doc) => scoreDocument(doc, framework));
    for (const d of framework.dimensions) {
      const values = scores.map((s) => s.scores[d.id].score);
      expect(Math.min(...values), d.id).toBeLessThan(-0.5);
      expect(Math.max(...values), d.id).toBeGreaterThan(0.5);
    }
  });

  it('resolves an explicit root the same way', () => {
    const again = loadReferenceInput(join(import.meta.dirname, '..', '..', 'fixtures'));
    expect(again).toEqual({ corpus, framework });
  });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof FaninError ? err.code : 'not a FaninError';
  }
  return undefined;
}

describe('loaders', () => {
  it('report unreadable or invalid files with typed errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-fixtures-'));
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(codeOf(() => loadCorpusDir(dir))).toBe('INVALID_CORPUS');
    expect(codeOf(() => loadFramework(join(dir, 'missing.json')))).toBe('INVALID_FRAMEWORK');
    expect(codeOf(() => loadCorpusDir(join(dir, 'nope')))).toBe('INVALID_CORPUS');
  });
});
