/**
 * Red-team review of issue 14's redaction (no Redis needed): a password typed raw with a
 * character that ends the URL's authority (`/`, `?`, `#`), a comma (the seed-list separator), a
 * raw `@` in a seed list, and a seed list of full URLs (the form repeated `--redis` flags fold
 * into, harness/runner/seed-flags.ts) must never reach an error message or a redacted string.
 * "SECRET" marks the part of each password that must not appear.
 */
import { describe, expect, it } from 'vitest';
import { createClient, FaninError, redactUrl } from '../../../src/index.js';
import { redactString } from '../../../harness/reporters/redact.js';
import { thrown } from '../../support/thrown.js';

function errorOf(url: string): FaninError {
  return thrown(() => createClient({ url }).disconnect());
}

describe('redaction of hostile passwords', () => {
  it.each([
    ['a raw /', 'redis://u:ab/SECRET@127.0.0.1:6390'],
    ['a raw #', 'redis://u:ab#SECRET@127.0.0.1:6390'],
    ['a raw ?', 'redis://u:ab?SECRET@127.0.0.1:6390'],
    ['a raw , (read as a seed list)', 'redis://u:SECRET,x@127.0.0.1:6390'],
  ])('an unusable URL with %s in its password: INVALID_CONFIG without the password', (_what, url) => {
    const err = errorOf(url);
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).not.toContain('SECRET');
    expect(JSON.stringify(err.context)).not.toContain('SECRET');
  });

  it('a seed list of full URLs (what repeated --redis folds into) has every password redacted', () => {
    const folded = 'redis://u:SECRET1@127.0.0.1:7001,redis://u:SECRET2@127.0.0.1:7002';
    expect(redactUrl(folded)).not.toContain('SECRET');
    expect(redactString(`audit of ${folded} failed`)).not.toContain('SECRET');
  });

  it('a cluster seed list with a database and a raw @ in the password: INVALID_CONFIG without the password', () => {
    const err = errorOf('redis://u:ab@SECRET@127.0.0.1:7001,127.0.0.1:7002/3');
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).not.toContain('SECRET');
  });

  it('a cluster seed list of full URLs with a database: INVALID_CONFIG without either password', () => {
    const err = errorOf('redis://u:SECRET1@127.0.0.1:7001,redis://u:SECRET2@127.0.0.1:7002/3');
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).not.toContain('SECRET');
  });

  it("a password with ( or ' (legal raw in a URL's userinfo) is redacted inside free text", () => {
    expect(redactString("connect redis://u:ab(SECRET@127.0.0.1:6390 failed")).not.toContain('SECRET');
    expect(redactString("connect redis://u:ab'SECRET@127.0.0.1:6390 failed")).not.toContain('SECRET');
  });
});
