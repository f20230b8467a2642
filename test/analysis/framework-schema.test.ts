import { describe, expect, it } from 'vitest';
import { FaninError, InputError } from '../../src/errors.js';
import { parseFramework } from '../../src/analysis/framework-schema.js';
import { miniFrameworkJson } from './helpers.js';

function clone(): any {
  return structuredClone(miniFrameworkJson);
}

function issuesOf(json: unknown): string[] {
  try {
    parseFramework(json);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as FaninError).code).toBe('INVALID_FRAMEWORK');
    return (err as FaninError).context.issues as string[];
  }
  throw new Error('expected parseFramework to throw');
}

describe('parseFramework', () => {
  it('accepts a valid framework', () => {
    const fw = parseFramework(miniFrameworkJson);
    expect(fw.dimensions.map((d) => d.id)).toEqual(['law', 'unity']);
    expect(fw.dimensions[0].lexicon.against[1]).toEqual({ pattern: '\\bpurg(?:e|ed|ing)\\b', weight: 3 });
  });

  it('names the path of a wrongly typed weight, in the message too', () => {
    const json = clone();
    json.dimensions[1].lexicon.for[0].weight = 'heavy';
    expect(issuesOf(json)).toEqual(['dimensions[1].lexicon.for[0].weight: Expected number, received string']);
    expect(() => parseFramework(json)).toThrow(/dimensions\[1\]\.lexicon\.for\[0\]\.weight: Expected number/);
  });

  it('lists every issue', () => {
    const json = clone();
    json.dimensions[0].weight = 0;
    json.dimensions[0].lexicon.against[0].weight = -1;
    json.dimensions[1].lexicon.against[0] = { pattern: '(unclosed', weight: 1 };
    json.dimensions[1].lexicon.for[0] = { term: 'Together', weight: 1 };
    const issues = issuesOf(json);
    expect(issues).toHaveLength(4);
    expect(issues[0]).toBe('dimensions[0].weight: Number must be greater than 0');
    expect(issues[1]).toBe('dimensions[0].lexicon.against[0].weight: Number must be greater than 0');
    expect(issues[2]).toMatch(/^dimensions\[1\]\.lexicon\.for\[0\]\.term: term must be lowercase words .*"together"/);
    expect(issues[3]).toMatch(/^dimensions\[1\]\.lexicon\.against\[0\]\.pattern: pattern does not compile/);
  });

  it('requires exactly one of term or pattern, and a non-empty-matching pattern', () => {
    const json = clone();
    json.dimensions[0].lexicon.for[0] = { term: 'law', pattern: 'law', weight: 1 };
    json.dimensions[0].lexicon.for[1] = { weight: 1 };
    json.dimensions[1].lexicon.for[0] = { pattern: 'x*', weight: 1 };
    expect(issuesOf(json)).toEqual([
      'dimensions[0].lexicon.for[0]: entry must have exactly one of "term" or "pattern"',
      'dimensions[0].lexicon.for[1]: entry must have exactly one of "term" or "pattern"',
      'dimensions[1].lexicon.for[0].pattern: pattern must not match the empty string',
    ]);
  });

  it('refuses duplicate dimension ids and duplicate lexicon entries', () => {
    const json = clone();
    json.dimensions[1].id = 'law';
    json.dimensions[0].lexicon.against.push({ term: 'court', weight: 1 });
    expect(issuesOf(json)).toEqual([
      'dimensions[0].lexicon.against[2]: duplicate lexicon entry term:court (first at lexicon.for[1])',
      'dimensions[1].id: duplicate dimension id "law"',
    ]);
  });

  it('requires at least one dimension and the top-level fields', () => {
    expect(issuesOf({ id: 'x', version: '1', name: 'X', dimensions: [] })).toEqual(['dimensions: at least one dimension is required']);
    expect(issuesOf(null)).toEqual(['(root): Expected object, received null']);
    expect(issuesOf({ id: 'x', name: 'X', dimensions: [] })).toContain('version: Required');
  });
});
