import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped.
 * Numbers must be finite: NaN/Infinity have no JSON form and are refused.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortValue(value, '$'));
}

function sortValue(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: non-finite number at ${path}`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => sortValue(v === undefined ? null : v, `${path}[${i}]`));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as Record<string, unknown>).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortValue(v, `${path}.${key}`);
  }
  return out;
}

/** SHA-256 (hex) of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The content address of a JSON value: SHA-256 of its canonical JSON. */
export function contentHash(value: unknown): { hash: string; json: string } {
  const json = canonicalJson(value);
  return { hash: sha256(json), json };
}
