/** Descriptive statistics on plain number arrays. Results are not rounded (callers round). */

function requireNonEmpty(xs: readonly number[], what: string): void {
  if (xs.length === 0) throw new RangeError(`${what} of an empty array`);
}

export function mean(xs: readonly number[]): number {
  requireNonEmpty(xs, 'mean');
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Population standard deviation (divides by n). */
export function stdev(xs: readonly number[]): number {
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / xs.length);
}

export function min(xs: readonly number[]): number {
  requireNonEmpty(xs, 'min');
  let out = xs[0];
  for (const x of xs) if (x < out) out = x;
  return out;
}

export function max(xs: readonly number[]): number {
  requireNonEmpty(xs, 'max');
  let out = xs[0];
  for (const x of xs) if (x > out) out = x;
  return out;
}

const VARIANCE_EPSILON = 1e-18;

function isConstant(xs: readonly number[]): boolean {
  return xs.every((x) => x === xs[0]);
}

/**
 * Pearson correlation coefficient. Returns 0 when either variance is 0 (including n < 2),
 * and clamps to [-1, 1] against floating error.
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new RangeError(`pearson: length mismatch ${xs.length} vs ${ys.length}`);
  if (xs.length < 2 || isConstant(xs) || isConstant(ys)) return 0;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx <= VARIANCE_EPSILON || syy <= VARIANCE_EPSILON) return 0;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}
