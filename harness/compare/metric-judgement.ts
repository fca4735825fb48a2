/**
 * One canary metric, judged: is the candidate's distribution worse than the baseline's,
 * significantly (Mann-Whitney at the configured confidence) and by a meaningful amount
 * (Hodges-Lehmann shift beyond the effect threshold, relative to the baseline median)?
 * Both → fail; one of the two → marginal; neither → pass; too few samples → unknown.
 */
import { HarnessError } from '../errors.ts';
import type { MetricComparison } from './comparison-result.ts';
import { mannWhitney } from './mann-whitney.ts';
import { sampleStats } from './sample-stats.ts';

export interface MetricDefinition {
  /** e.g. `e2e_latency_ms`, `throughput_per_partition`, `consumer_lag`, `dlq_rate`, `error_rate`. */
  name: string;
  /** e.g. `latency`, `throughput`, `lag`, `errors`: reported with a sub-score. */
  group: string;
  /** `higher-is-worse` for latency/lag/errors, `lower-is-worse` for throughput. */
  direction: 'higher-is-worse' | 'lower-is-worse';
  /** Share of the score; default 1. */
  weight?: number;
  /** A failing critical metric fails the canary whatever the score; default false. */
  critical?: boolean;
  /** Relative worsening that matters: 0.1 = candidate 10% worse than the baseline median. Default 0.1. */
  effectThreshold?: number;
  /** A shift smaller than this (in the metric's unit) never matters, e.g. 1 ms of latency. Default 0. */
  minAbsoluteEffect?: number;
}

export interface MetricSamples extends MetricDefinition {
  baseline: readonly number[];
  candidate: readonly number[];
}

export interface MetricJudgementSettings {
  confidence: number;
  minSamples: number;
}

export const DEFAULT_EFFECT_THRESHOLD = 0.1;

const format = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 0.01 && Math.abs(v) < 1e6 ? v.toFixed(3).replace(/\.?0+$/, '') : v.toPrecision(3));
const percent = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;

export function validateMetric(metric: MetricDefinition): void {
  const where = `canary metric '${metric.name}'`;
  if (typeof metric.name !== 'string' || metric.name === '') throw new HarnessError('CONFIG_INVALID', 'canary metric: name must be a non-empty string');
  if (metric.direction !== 'higher-is-worse' && metric.direction !== 'lower-is-worse') throw new HarnessError('CONFIG_INVALID', `${where}: direction must be 'higher-is-worse' or 'lower-is-worse'`);
  const weight = metric.weight ?? 1;
  if (!(Number.isFinite(weight) && weight > 0)) throw new HarnessError('CONFIG_INVALID', `${where}: weight must be a number > 0, got ${weight}`);
  const threshold = metric.effectThreshold ?? DEFAULT_EFFECT_THRESHOLD;
  if (!(Number.isFinite(threshold) && threshold >= 0)) throw new HarnessError('CONFIG_INVALID', `${where}: effectThreshold must be a number >= 0, got ${threshold}`);
  const floor = metric.minAbsoluteEffect ?? 0;
  if (!(Number.isFinite(floor) && floor >= 0)) throw new HarnessError('CONFIG_INVALID', `${where}: minAbsoluteEffect must be a number >= 0, got ${floor}`);
}

export function judgeMetric(metric: MetricSamples, settings: MetricJudgementSettings): MetricComparison {
  validateMetric(metric);
  const baseline = sampleStats(metric.baseline);
  const candidate = sampleStats(metric.candidate);
  const common = {
    name: metric.name,
    group: metric.group,
    weight: metric.weight ?? 1,
    critical: metric.critical ?? false,
    direction: metric.direction,
    baseline,
    candidate,
    effectThreshold: metric.effectThreshold ?? DEFAULT_EFFECT_THRESHOLD,
  };
  const sizes = `n = ${baseline.n} baseline / ${candidate.n} candidate`;
  if (baseline.n < settings.minSamples || candidate.n < settings.minSamples) {
    return { ...common, pValue: null, shift: null, effect: null, classification: 'unknown', reason: `too little data: ${sizes} (at least ${settings.minSamples} per side needed)` };
  }
  const test = mannWhitney(metric.baseline, metric.candidate, { confidence: settings.confidence });
  const sign = metric.direction === 'higher-is-worse' ? 1 : -1;
  const worseShift = sign * test.shift.estimate;
  const effect = baseline.p50 === 0 ? null : worseShift / Math.abs(baseline.p50);
  const threshold = metric.effectThreshold ?? DEFAULT_EFFECT_THRESHOLD;
  const floor = metric.minAbsoluteEffect ?? 0;
  // With a zero baseline median a relative effect is undefined: any worsening beyond the floor matters.
  const large = worseShift > floor && (effect === null || effect > threshold);
  // The direction of significance comes from U, which stays informative when the shift is 0 (many ties).
  const candidateHigher = test.u > (test.n.baseline * test.n.candidate) / 2;
  const worse = sign > 0 ? candidateHigher : test.u < (test.n.baseline * test.n.candidate) / 2;
  const significant = test.pValue < 1 - settings.confidence && worse;
  const classification = significant && large ? 'fail' : significant || large ? 'marginal' : 'pass';
  const { low, high } = test.shift;
  const effectText = effect === null ? `baseline median 0, shift ${format(test.shift.estimate)}` : `${percent(effect)} ${sign > 0 ? '(higher)' : '(lower)'} vs threshold ${percent(threshold)}`;
  const why =
    classification === 'fail'
      ? 'significantly worse beyond the threshold'
      : classification === 'marginal'
        ? significant
          ? 'significantly worse, but within the threshold'
          : 'worse beyond the threshold, but not significantly'
        : 'no significant worsening beyond the threshold';
  const reason =
    `${why}: effect ${effectText}; HL shift ${format(test.shift.estimate)} [${format(low)}, ${format(high)}] at ${percent(test.shift.achievedConfidence).slice(1)}; ` +
    `p = ${test.pValue.toPrecision(3)} (${test.method === 'exact' ? 'exact' : 'normal approximation'}), ${sizes}`;
  return {
    ...common,
    pValue: test.pValue,
    shift: { estimate: test.shift.estimate, low, high, confidence: settings.confidence },
    effect,
    classification,
    reason,
    effectThreshold: threshold,
    test: { u: test.u, method: test.method, ties: test.ties, achievedConfidence: test.shift.achievedConfidence },
  };
}
