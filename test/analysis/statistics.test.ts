import { describe, expect, it } from 'vitest';
import { max, mean, min, pearson, stdev } from '../../src/analysis/statistics.js';
import { round6 } from '../../src/analysis/round.js';

describe('statistics', () => {
  it('computes mean, population stdev, min and max', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(stdev([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(stdev([5])).toBe(0);
    expect(round6(stdev([0.6, -0.666667]))).toBe(0.633334);
    expect(min([3, -1, 2])).toBe(-1);
    expect(max([3, -1, 2])).toBe(3);
  });

  it('refuses empty arrays', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => min([])).toThrow(RangeError);
    expect(() => max([])).toThrow(RangeError);
  });

  it('computes Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBe(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(round6(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]))).toBe(0.8);
  });

  it('returns 0 when a variance is 0 or there are fewer than 2 points', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
    expect(pearson([1, 2, 3], [0.1, 0.1, 0.1])).toBe(0);
    expect(pearson([1], [2])).toBe(0);
    expect(pearson([], [])).toBe(0);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => pearson([1, 2], [1])).toThrow(RangeError);
  });

  it('round6 rounds to 6 decimals and normalises -0', () => {
    expect(round6(1 / 3)).toBe(0.333333);
    expect(round6(-2 / 3)).toBe(-0.666667);
    expect(Object.is(round6(-0.0000001), 0)).toBe(true);
    expect(() => round6(Number.NaN)).toThrow(RangeError);
  });
});
