import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../../harness/reporters/json.js';
import { REDACTED, redact, redactString } from '../../../harness/reporters/redact.js';
import { SECRET, SECRET_URL, sampleResults } from '../fixtures/sample-results.js';

describe('redact', () => {
  it('replaces the password of every redis URL inside any string', () => {
    expect(redactString(`lost ${SECRET_URL} and rediss://:pw@h:1, then redis://h:6379`)).toBe(
      'lost redis://user:***@127.0.0.1:6390/0 and rediss://:***@h:1, then redis://h:6379',
    );
  });

  it('replaces credential-named keys, deep-copies and leaves the input alone', () => {
    const input = { a: { password: 'p', Token: 'x', auth: { user: 'u' }, pass: 'q', passage: 'kept' }, list: [SECRET_URL], n: 1, nil: null };
    const out = redact(input);
    expect(out).toEqual({
      a: { password: REDACTED, Token: REDACTED, auth: REDACTED, pass: REDACTED, passage: 'kept' },
      list: ['redis://user:***@127.0.0.1:6390/0'],
      n: 1,
      nil: null,
    });
    expect(input.a.password).toBe('p');
    expect(input.list[0]).toBe(SECRET_URL);
  });
});

describe('json reporter', () => {
  it('writes parseable, redacted results.json', () => {
    const results = sampleResults();
    const text = jsonReporter.render(results);
    expect(jsonReporter.file).toBe('results.json');
    expect(text).not.toContain(SECRET);
    const parsed = JSON.parse(text);
    expect(parsed.schema).toBe('fanin.results/v1');
    expect(parsed.config.redisUrl).toBe('redis://user:***@127.0.0.1:6390/0');
    expect(parsed.runs).toHaveLength(3);
    expect(parsed.checkers).toHaveLength(7);
    // everything else survives unchanged
    expect({ ...parsed, config: results.config, checkers: results.checkers }).toEqual(results);
    // the caller's object is not mutated
    expect(results.config.redisUrl).toBe(SECRET_URL);
  });
});
