/**
 * Rounds to 6 decimal places so that floating results are stable across runs and platforms
 * (and therefore hash identically). Negative zero is normalised to 0.
 */
export function round6(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`round6: non-finite number ${String(x)}`);
  const r = Math.round(x * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}

/** Plain code-unit string comparison (locale independent, hence deterministic). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
