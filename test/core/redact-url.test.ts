/** src/redis/redact-url.ts: the one redaction, on free text, seed lists and query passwords (no Redis needed). */
import { describe, expect, it } from 'vitest';
import { redactUrl, seedUrls } from '../../src/index.js';

describe('redactUrl', () => {
  it('blanks every URL of free text, each up to its own end (whitespace, a double quote)', () => {
    const text = '{"a":"redis://u:S1@h:1","b":"x@y"} then rediss://:S2@h:2/0 and redis://h:3/?username=u&password=S3&db=1';
    expect(redactUrl(text)).toBe('{"a":"redis://u:***@h:1","b":"x@y"} then rediss://:***@h:2/0 and redis://h:3/?username=u&password=***&db=1');
  });

  it('blanks every seed of a seed list of full URLs, a raw @ , ( \' in a password included', () => {
    expect(redactUrl("redis://u:a@b,c(d'e@h:1,h:2,rediss://v:f@g@h:3/0")).toBe('redis://u:***@h:1,h:2,rediss://v:***@h:3/0');
  });

  it('keeps a user name without a password and text without a URL', () => {
    expect(redactUrl('redis://u@h:1 user@example.org')).toBe('redis://u@h:1 user@example.org');
  });
});

describe('seedUrls', () => {
  it('reads a comma inside credentials as part of them (and refuses it), not as a seed separator', () => {
    expect(() => seedUrls('redis://u:a,b@h:1')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(seedUrls('redis://u:a%2Cb@h1:1,h2:2/0')).toEqual(['redis://u:a%2Cb@h1:1/0', 'redis://u:a%2Cb@h2:2/0']);
  });
});

describe('redactUrl on hostile text', () => {
  it('a megabyte of letters with no URL is scanned in one pass (the scheme pattern is bounded)', () => {
    // an unbounded `[a-z][a-z0-9+.-]*://` rescans the run from every start: quadratic, a hang on
    // a poison message's payload (diagnose --scenario poison-message --transport lists never ended)
    const text = 'a'.repeat(1_000_000);
    expect(redactUrl(text)).toBe(text);
    expect(redactUrl(`${text} redis://u:pw@h:1`)).toBe(`${text} redis://u:***@h:1`);
  });
});
