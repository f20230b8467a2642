/** redactUrl / redactString hide every password form: user:password, :password, ?password=, any character in it. */
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/index.js';
import { redact, redactString } from '../../../harness/reporters/redact.js';

const PW = 'p@ss!w%rd/x:y';
const ENC = encodeURIComponent(PW);

describe('redactUrl', () => {
  it.each([
    [`redis://u:${ENC}@h:1/2`, 'redis://u:***@h:1/2'],
    [`rediss://:${ENC}@h:1`, 'rediss://:***@h:1'],
    ['redis://u:p@ss!w%rd@h:1', 'redis://u:***@h:1'],
    ['redis://u:a:b@h:1', 'redis://u:***@h:1'],
    [`redis://h:1?password=${ENC}&db=2`, 'redis://h:1?password=***&db=2'],
    [`redis://h:1/0?username=u&password=${ENC}`, 'redis://h:1/0?username=u&password=***'],
    ['redis://h:1/3', 'redis://h:1/3'],
    ['redis://u@h:1', 'redis://u@h:1'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('redactString and redact() hide passwords in free text and nested values', () => {
    const text = `failed on redis://u:${ENC}@h:1 and rediss://h:2?password=${ENC} today`;
    expect(redactString(text)).toBe('failed on redis://u:***@h:1 and rediss://h:2?password=*** today');
    expect(JSON.stringify(redact({ a: [text], password: PW }))).not.toMatch(/p@ss|p%40ss/);
  });
});
