/**
 * The exact null distribution of the Mann-Whitney U statistic for samples of sizes n and m
 * without ties (R's dwilcox/pwilcox/qwilcox). Built from probabilities, not counts: counts
 * reach C(98, 49) ~ 2.5e28 at the size limit, beyond exact doubles, while the recurrence
 *   P[n,m](u) = n/(n+m) P[n-1,m](u-m) + m/(n+m) P[n,m-1](u)
 * (is the largest value an x, beating all m y's, or a y?) only adds positive numbers.
 */
import { HarnessError } from '../errors.ts';

/** Above this size the exact tables grow as n²m²/4 operations: use the normal approximation. */
export const EXACT_SIZE_LIMIT = 50;

const cache = new Map<string, Float64Array>();

/** Probability of each U = 0..n*m under the null hypothesis. */
export function rankSumPmf(n: number, m: number): Float64Array {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0 || n >= EXACT_SIZE_LIMIT || m >= EXACT_SIZE_LIMIT) {
    throw new HarnessError('INTERNAL', `exact Mann-Whitney distribution needs sizes in 0..${EXACT_SIZE_LIMIT - 1}, got ${n} and ${m}`);
  }
  const key = `${n},${m}`;
  const cached = cache.get(key);
  if (cached) return cached;
  // previous[j] = P[i-1, j]; current[j] = P[i, j].
  let previous: Float64Array[] = Array.from({ length: m + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= n; i++) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= m; j++) {
      const pmf = new Float64Array(i * j + 1);
      const fromX = previous[j] as Float64Array; // P[i-1, j], shifted by j
      const fromY = current[j - 1] as Float64Array; // P[i, j-1]
      const px = i / (i + j);
      const py = j / (i + j);
      for (let u = 0; u < fromX.length; u++) pmf[u + j] = (pmf[u + j] as number) + px * (fromX[u] as number);
      for (let u = 0; u < fromY.length; u++) pmf[u] = (pmf[u] as number) + py * (fromY[u] as number);
      current.push(pmf);
    }
    previous = current;
  }
  const result = previous[m] as Float64Array;
  cache.set(key, result);
  return result;
}

/** P(U <= u). */
export function rankSumCdf(u: number, n: number, m: number): number {
  const pmf = rankSumPmf(n, m);
  const upTo = Math.min(Math.floor(u), pmf.length - 1);
  let sum = 0;
  for (let k = 0; k <= upTo; k++) sum += pmf[k] as number;
  return Math.min(1, sum);
}

/** Smallest u with P(U <= u) >= p (R's qwilcox, including its 10 * DBL_EPSILON allowance for rounding). */
export function rankSumQuantile(p: number, n: number, m: number): number {
  const pmf = rankSumPmf(n, m);
  let sum = 0;
  for (let u = 0; u < pmf.length; u++) {
    sum += pmf[u] as number;
    if (sum >= p - 10 * Number.EPSILON) return u;
  }
  return pmf.length - 1;
}

/** Two-sided exact p-value of an observed U: twice the smaller tail, at most 1. */
export function rankSumTwoSidedP(u: number, n: number, m: number): number {
  const lower = rankSumCdf(u, n, m);
  const upper = rankSumCdf(n * m - u, n, m); // the distribution is symmetric about nm/2
  return Math.min(1, 2 * Math.min(lower, upper));
}
