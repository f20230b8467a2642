import { describe, expect, it } from 'vitest';
import { FaninError } from '../../src/errors.js';
import { parseCorpus } from '../../src/analysis/corpus-schema.js';
import { DOC_A, DOC_B } from './helpers.js';

function codeAndIssues(json: unknown): { code: string; issues: string[] } {
  try {
    parseCorpus(json);
  } catch (err) {
    return { code: (err as FaninError).code, issues: (err as FaninError).context.issues as string[] };
  }
  throw new Error('expected parseCorpus to throw');
}

describe('parseCorpus', () => {
  it('accepts valid documents, including empty text (pre_test rejects those)', () => {
    const docs = parseCorpus([DOC_A, { ...DOC_B, text: '' }]);
    expect(docs.map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('refuses duplicate ids with INVALID_CORPUS', () => {
    expect(codeAndIssues([DOC_A, DOC_B, DOC_A])).toEqual({ code: 'INVALID_CORPUS', issues: ['[2].id: duplicate document id "a"'] });
  });

  it('names the path of bad fields', () => {
    const { code, issues } = codeAndIssues([DOC_A, { ...DOC_B, year: '2001', id: 'has space' }]);
    expect(code).toBe('INVALID_CORPUS');
    expect(issues).toEqual(['[1].id: document id must match [A-Za-z0-9][A-Za-z0-9._-]*', '[1].year: Expected number, received string']);
  });

  it('refuses an empty corpus and non-arrays', () => {
    expect(codeAndIssues([]).issues).toEqual(['(root): corpus must contain at least one document']);
    expect(codeAndIssues({ documents: [] }).issues).toEqual(['(root): Expected array, received object']);
  });
});
