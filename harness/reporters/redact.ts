/**
 * Removes credentials from anything a report writes: a deep copy in which every URL inside any
 * string has its password replaced (by the core's one redaction, `redactUrl`: every seed of a
 * seed list, whatever characters the password holds) and every value under a credential-named
 * key (password, pass, token, auth) is replaced by `***`.
 */
import { redactUrl } from '../../src/index.js';

export const REDACTED = '***';

const SECRET_KEYS = new Set(['password', 'pass', 'token', 'auth']);

/** The string with the password of every Redis URL in it replaced by `***`. */
export function redactString(text: string): string {
  return redactUrl(text);
}

/** A deep copy of `value` with credentials removed. Non-plain objects are copied as plain data. */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEYS.has(key.toLowerCase()) && item !== null && item !== undefined && item !== ''
        ? REDACTED
        : redactValue(item, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
