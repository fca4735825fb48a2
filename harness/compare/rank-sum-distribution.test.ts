import { describe, expect, it } from 'vitest';
import { rankSumCdf, rankSumPmf, rankSumQuantile, rankSumTwoSidedP } from './rank-sum-distribution.ts';

describe('rank-sum distribution', () => {
  it('matches the enumerated null distribution for n = m = 2 and n = 3, m = 3', () => {
    // n = m = 2: the 6 equally likely rank sets give U = 0, 1, 2, 2, 3, 4.
    expect(Array.from(rankSumPmf(2, 2)).map((p) => p * 6)).toEqual([1, 1, 2, 1, 1].map((c) => expect.closeTo(c, 12)));
    // n = m = 3: the 20 rank sets by U, counted by hand: 1 1 2 3 3 3 3 2 1 1.
    expect(Array.from(rankSumPmf(3, 3)).map((p) => p * 20)).toEqual([1, 1, 2, 3, 3, 3, 3, 2, 1, 1].map((c) => expect.closeTo(c, 12)));
  });

  it('sums to one and is symmetric at the size limit', () => {
    const pmf = rankSumPmf(49, 37);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(pmf[100]).toBeCloseTo(pmf[49 * 37 - 100] as number, 20);
  });

  it('gives R qwilcox-style quantiles and two-sided p-values', () => {
    // Hollander & Wolfe example from R's ?wilcox.test (n = 10, m = 5): W = 35, one-sided p = 0.1272.
    expect(rankSumTwoSidedP(35, 10, 5)).toBeCloseTo(0.2544122544122544, 12); // scipy mannwhitneyu(method='exact')
    expect(1 - rankSumCdf(34, 10, 5)).toBeCloseTo(0.1272, 4);
    const q = rankSumQuantile(0.025, 10, 5);
    expect(rankSumCdf(q, 10, 5)).toBeGreaterThanOrEqual(0.025);
    expect(rankSumCdf(q - 1, 10, 5)).toBeLessThan(0.025);
  });

  it('refuses sizes beyond the exact limit', () => {
    expect(() => rankSumPmf(50, 3)).toThrow(/exact Mann-Whitney/);
  });
});
