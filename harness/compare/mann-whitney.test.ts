import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { mannWhitney } from './mann-whitney.ts';
import { cpuTimeOf } from './testing/cpu-time.ts';

/*
 * Reference values computed once with scipy 1.17.1 / numpy (script in the comment of each case):
 *   r = scipy.stats.mannwhitneyu(candidate, baseline, alternative='two-sided', method=M, use_continuity=True)
 *   d = numpy.sort(numpy.subtract.outer(candidate, baseline).ravel()); estimate = numpy.median(d)
 *   exact interval rank k: smallest u with P(U <= u) >= alpha/2 under the null, the null found by
 *     enumerating all itertools.combinations of ranks (R's qwilcox; k = max(k, 1)); bounds d[k-1], d[nm-k]
 *   normal interval rank k = max(1, ceil(nm/2 - 0.5 - norm.ppf(1 - alpha/2) * sigma_tie_corrected))
 */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('mannWhitney', () => {
  it('reproduces the Hollander & Wolfe example of R ?wilcox.test (exact)', () => {
    // Data: Hollander & Wolfe (1973, p. 69), as in R's ?wilcox.test, which documents W = 35 and
    // one-sided p = 0.1272; the two-sided p, the estimate and the interval are from scipy/numpy as above.
    const candidate = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const baseline = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitney(baseline, candidate, { confidence: 0.95 });
    expect(result).toMatchObject({ u: 35, method: 'exact', ties: false, z: null, n: { baseline: 5, candidate: 10 } });
    expect(result.pValue).toBeCloseTo(0.2544122544122544, 12);
    expect(result.shift.estimate).toBeCloseTo(0.305, 12);
    expect(result.shift.low).toBeCloseTo(-0.15, 12);
    expect(result.shift.high).toBeCloseTo(0.76, 12);
    expect(result.shift).toMatchObject({ rank: 9, method: 'exact', differences: 50, confidence: 0.95 });
    expect(result.shift.achievedConfidence).toBeCloseTo(0.9600399600399601, 12);
  });

  it('uses the normal approximation on request, with continuity correction', () => {
    const candidate = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const baseline = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitney(baseline, candidate, { confidence: 0.95, method: 'normal' });
    expect(result.method).toBe('normal');
    expect(result.pValue).toBeCloseTo(0.24462360512698333, 12); // method='asymptotic'
    expect(result.shift.rank).toBe(9);
    expect(result.shift.achievedConfidence).toBeCloseTo(0.9567025342206967, 10);
  });

  it('matches scipy exact for small samples without ties (case A)', () => {
    const baseline = range(1, 9).map((i) => ((i * 7919) % 10007) / 100);
    const candidate = range(1, 7).map((i) => ((i * 104729) % 10007) / 100 + 5);
    const result = mannWhitney(baseline, candidate);
    expect(result).toMatchObject({ u: 39, method: 'exact' });
    expect(result.pValue).toBeCloseTo(0.46975524475524477, 12);
    expect(result.shift.estimate).toBeCloseTo(12.1, 10);
    expect(result.shift.low).toBeCloseTo(-30.16, 10);
    expect(result.shift.high).toBeCloseTo(53.86, 10);
    expect(result.shift.rank).toBe(10);
    expect(result.shift.achievedConfidence).toBeCloseTo(0.9835664335664336, 12);
  });

  it('matches scipy exact near the size limit (n = 35, m = 40)', () => {
    const baseline = range(1, 40).map((i) => ((i * 7919) % 10007) / 10);
    const candidate = range(1, 35).map((i) => ((i * 6053) % 10007) / 10 + 300.05);
    const result = mannWhitney(baseline, candidate);
    expect(result).toMatchObject({ u: 1025, method: 'exact' });
    expect(result.pValue).toBeCloseTo(0.00044082441129612284, 14);
  });

  it('falls back to the tie-corrected normal approximation on ties (case B)', () => {
    const baseline = range(1, 300).map((i) => ((i * 7919) % 1009) % 50);
    const candidate = range(1, 200).map((i) => (((i * 104729) % 1013) % 50) + 3);
    const result = mannWhitney(baseline, candidate);
    expect(result).toMatchObject({ u: 32856.5, method: 'normal', ties: true });
    expect(result.pValue).toBeCloseTo(0.07109731439336847, 12);
    expect(result.shift).toMatchObject({ estimate: 2, low: -1, high: 6, rank: 26319, method: 'normal' });
    expect(result.shift.achievedConfidence).toBeCloseTo(0.980009807358919, 10);
  });

  it('uses the normal approximation from 50 values on (case C, no ties)', () => {
    const baseline = range(1, 60).map((i) => ((i * 7919) % 10007) / 10);
    const candidate = range(1, 60).map((i) => ((i * 6053) % 10007) / 10 + 150.05);
    const result = mannWhitney(baseline, candidate);
    expect(result).toMatchObject({ u: 2192, method: 'normal', ties: false });
    expect(result.pValue).toBeCloseTo(0.03989425892270804, 12);
    expect(result.shift.estimate).toBeCloseTo(110.3, 9);
    expect(result.shift.low).toBeCloseTo(-16.95, 9);
    expect(result.shift.high).toBeCloseTo(243.05, 9);
    expect(result.shift.rank).toBe(1357);
  });

  it('matches scipy on 3000 values per side with a 5% scale shift (case D)', () => {
    const baseline = range(1, 3000).map((i) => ((i * 7919) % 100003) / 1000);
    const candidate = range(1, 3000).map((i) => (((i * 6053) % 100003) / 1000) * 1.05 + 2);
    const result = mannWhitney(baseline, candidate);
    expect(result.u).toBe(4885240.5);
    expect(result.pValue).toBeCloseTo(9.337690555731219e-9, 18);
    expect(result.pValue / 9.337690555731219e-9).toBeCloseTo(1, 9);
    expect(result.shift.estimate).toBeCloseTo(4.5138, 9);
    expect(result.shift.low).toBeCloseTo(2.69395, 9);
    expect(result.shift.high).toBeCloseTo(6.33465, 9);
    expect(result.shift.rank).toBe(4343931);
  });

  it('says p = 1 and a zero shift when every value is tied', () => {
    const result = mannWhitney([3, 3, 3], [3, 3]);
    expect(result).toMatchObject({ pValue: 1, method: 'normal', shift: { estimate: 0, low: 0, high: 0 } });
  });

  it('is antisymmetric: swapping the samples mirrors U and the shift', () => {
    const random = new Random(3);
    const a = Array.from({ length: 80 }, () => random.next() * 10);
    const b = Array.from({ length: 70 }, () => random.next() * 10 + 1);
    const forward = mannWhitney(a, b);
    const backward = mannWhitney(b, a);
    expect(forward.u + backward.u).toBe(80 * 70);
    expect(forward.pValue).toBeCloseTo(backward.pValue, 12);
    expect(forward.shift.estimate).toBeCloseTo(-backward.shift.estimate, 12);
    expect(forward.shift.low).toBeCloseTo(-backward.shift.high, 12);
  });

  it('runs 20k values per side in seconds', () => {
    const random = new Random(5);
    const baseline = Array.from({ length: 20_000 }, () => 100 * Math.exp(random.next()));
    const candidate = Array.from({ length: 20_000 }, () => 112 * Math.exp(random.next()));
    const { result, cpuMs } = cpuTimeOf(() => mannWhitney(baseline, candidate));
    expect(cpuMs).toBeLessThan(10_000);
    expect(result.pValue).toBeLessThan(1e-10);
    expect(result.shift.low).toBeLessThan(result.shift.estimate);
    expect(result.shift.estimate).toBeLessThan(result.shift.high);
    expect(result.shift.differences).toBe(4e8);
  });

  it('rejects empty samples, non-finite values and a bad confidence', () => {
    expect(() => mannWhitney([], [1])).toThrow(/baseline sample is empty/);
    expect(() => mannWhitney([1], [Number.NaN])).toThrow(/candidate\[0\] is not a finite number/);
    expect(() => mannWhitney([1], [2], { confidence: 1 })).toThrow(/confidence/);
  });
});
