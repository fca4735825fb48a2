/**
 * Summary statistics of one sample, as the comparison report shows them. Quantiles
 * interpolate linearly between order statistics (R type 7, numpy's default), so p50 of an
 * even-sized sample is the mean of the two middle values.
 */
import type { SampleStats } from './comparison-result.ts';

/** The q-quantile (0..1) of an ascending sorted sample; NaN when empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  return low + (position - below) * ((sorted[above] as number) - low);
}

export function sampleStats(sample: readonly number[]): SampleStats {
  const sorted = Float64Array.from(sample).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p50: quantileOfSorted(sorted, 0.5),
    p95: quantileOfSorted(sorted, 0.95),
    p99: quantileOfSorted(sorted, 0.99),
  };
}
