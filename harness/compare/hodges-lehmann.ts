/**
 * The Hodges-Lehmann shift of candidate versus baseline (median of all candidate - baseline
 * differences) with its distribution-free confidence interval (Moses, 1965; Bauer, 1972):
 * the interval between two order statistics of the differences, whose ranks come from the
 * Mann-Whitney null distribution. This is R's wilcox.test(conf.int = TRUE) in the exact case.
 * In the normal case R solves for the shift with uniroot; we keep the order-statistic form
 * with a normal rank (Hollander, Wolfe & Chicken, Nonparametric Statistical Methods, 3rd ed.,
 * section 4.3), which stays a pair of observed differences and needs no root finding.
 */
import { normalCdf, normalQuantile } from './normal-distribution.ts';
import { PairwiseDifferences } from './pairwise-differences.ts';
import { rankSumCdf, rankSumQuantile } from './rank-sum-distribution.ts';

export interface HodgesLehmannShift {
  /** Median of the candidate - baseline differences. */
  estimate: number;
  low: number;
  high: number;
  /** The confidence asked for, e.g. 0.98. */
  confidence: number;
  /** The coverage the chosen order statistics really give (discrete in the exact case). */
  achievedConfidence: number;
  /** Rank k of the lower bound among the n*m sorted differences (the upper one is n*m+1-k). */
  rank: number;
  method: 'exact' | 'normal';
  /** n*m: every difference is used, none sampled. */
  differences: number;
}

export interface ShiftInputs {
  baseline: readonly number[];
  candidate: readonly number[];
  confidence: number;
  method: 'exact' | 'normal';
  /** Standard deviation of U under the null (tie-corrected); used by the normal method. */
  sigma: number;
}

export function hodgesLehmannShift({ baseline, candidate, confidence, method, sigma }: ShiftInputs): HodgesLehmannShift {
  const differences = new PairwiseDifferences(candidate, baseline);
  const n = candidate.length;
  const m = baseline.length;
  const size = n * m;
  const alpha = 1 - confidence;
  let rank: number;
  let achievedConfidence: number;
  if (method === 'exact') {
    rank = Math.max(1, rankSumQuantile(alpha / 2, n, m)); // R: if (qu == 0) qu <- 1
    achievedConfidence = 1 - 2 * rankSumCdf(rank - 1, n, m);
  } else if (sigma > 0) {
    // Smallest k with P(U <= k) >= alpha/2 under N(nm/2, sigma²), with continuity correction.
    const z = normalQuantile(1 - alpha / 2);
    rank = Math.max(1, Math.ceil(size / 2 - 0.5 - z * sigma));
    achievedConfidence = 1 - 2 * normalCdf((rank - 1 + 0.5 - size / 2) / sigma);
  } else {
    // All values tied: every difference is the same, so is the interval.
    rank = Math.max(1, Math.floor((size + 1) / 2));
    achievedConfidence = 1;
  }
  rank = Math.min(rank, Math.ceil(size / 2));
  return {
    estimate: differences.median(),
    low: differences.orderStatistic(rank),
    high: differences.orderStatistic(size + 1 - rank),
    confidence,
    achievedConfidence,
    rank,
    method,
    differences: size,
  };
}
