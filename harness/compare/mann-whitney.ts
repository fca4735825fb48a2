/**
 * Mann-Whitney U test (Wilcoxon rank-sum) of candidate versus baseline, two-sided, with the
 * Hodges-Lehmann shift. Conventions follow R's wilcox.test(candidate, baseline) and
 * scipy.stats.mannwhitneyu(candidate, baseline): U counts the pairs where the candidate value
 * is larger (ties count half), so U > n*m/2 means the candidate tends to be higher.
 *
 * p-value: exact null distribution when both samples are smaller than 50 and there are no
 * ties (R's default rule); otherwise the normal approximation with tie-corrected variance and
 * continuity correction (scipy method='asymptotic', use_continuity=True). `method` says which.
 */
import { HarnessError } from '../errors.ts';
import { hodgesLehmannShift, type HodgesLehmannShift } from './hodges-lehmann.ts';
import { normalSf } from './normal-distribution.ts';
import { EXACT_SIZE_LIMIT, rankSumTwoSidedP } from './rank-sum-distribution.ts';

export interface MannWhitneyOptions {
  /** Confidence of the shift interval, 0 < c < 1. Default 0.98. */
  confidence?: number;
  /** 'auto' (default): exact when both n < 50 and no ties. 'exact' still falls back to normal on ties or from 50 values on. */
  method?: 'auto' | 'exact' | 'normal';
}

export interface MannWhitneyResult {
  n: { baseline: number; candidate: number };
  /** U of the candidate: pairs with candidate > baseline, plus half the tied pairs. */
  u: number;
  pValue: number;
  method: 'exact' | 'normal';
  /** Whether any value occurs in both or twice (forces the normal method). */
  ties: boolean;
  /** Standardised U with continuity correction (normal method); null for exact. */
  z: number | null;
  shift: HodgesLehmannShift;
}

export const DEFAULT_CONFIDENCE = 0.98;

function checkSample(name: string, sample: readonly number[]): void {
  if (sample.length === 0) throw new HarnessError('CONFIG_INVALID', `mannWhitney: the ${name} sample is empty`);
  const bad = sample.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new HarnessError('CONFIG_INVALID', `mannWhitney: ${name}[${bad}] is not a finite number: ${String(sample[bad])}`);
}

interface Ranks {
  /** Sum of the candidate's mid-ranks. */
  candidateRankSum: number;
  /** Sum of t³ - t over groups of tied values. */
  tieTerm: number;
}

function rankCandidate(baseline: readonly number[], candidate: readonly number[]): Ranks {
  const values = Float64Array.from([...candidate, ...baseline]);
  const order = Uint32Array.from(values.keys()).sort((a, b) => (values[a] as number) - (values[b] as number));
  let candidateRankSum = 0;
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    const value = values[order[start] as number];
    while (end < order.length && values[order[end] as number] === value) end++;
    const t = end - start;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if ((order[k] as number) < candidate.length) candidateRankSum += midRank;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { candidateRankSum, tieTerm };
}

export function mannWhitney(baseline: readonly number[], candidate: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  checkSample('baseline', baseline);
  checkSample('candidate', candidate);
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!(confidence > 0 && confidence < 1)) throw new HarnessError('CONFIG_INVALID', `mannWhitney: confidence must be in (0, 1), got ${confidence}`);
  const n = candidate.length;
  const m = baseline.length;
  const { candidateRankSum, tieTerm } = rankCandidate(baseline, candidate);
  const u = candidateRankSum - (n * (n + 1)) / 2;
  const ties = tieTerm > 0;
  const N = n + m;
  const sigma = Math.sqrt(((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  const small = n < EXACT_SIZE_LIMIT && m < EXACT_SIZE_LIMIT;
  const requested = options.method ?? 'auto';
  const method: 'exact' | 'normal' = requested !== 'normal' && small && !ties ? 'exact' : 'normal';

  let pValue: number;
  let z: number | null = null;
  if (method === 'exact') {
    pValue = rankSumTwoSidedP(u, n, m);
  } else if (sigma === 0) {
    pValue = 1; // every value tied: no evidence of any difference
    z = 0;
  } else {
    const deviation = u - (n * m) / 2;
    z = (deviation - 0.5 * Math.sign(deviation)) / sigma;
    pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  }
  const shift = hodgesLehmannShift({ baseline, candidate, confidence, method, sigma });
  return { n: { baseline: m, candidate: n }, u, pValue, method, ties, z, shift };
}
