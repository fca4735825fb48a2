/**
 * The canary judgement: every metric judged on its own (metric-judgement.ts), then one score,
 * the weighted share of passing metrics (a marginal metric earns half its weight by default),
 * over the metrics that could be judged. Score >= 0.95 passes, >= 0.75 is marginal, below
 * fails (with ten equal metrics: one marginal metric still passes, one failing one is marginal). A failing critical metric fails the canary whatever
 * the score; too little data (a critical metric unknown, or more than half the weight unknown)
 * gives `unknown`, never a pass.
 */
import { HarnessError } from '../errors.ts';
import type { MetricComparison } from './comparison-result.ts';
import { DEFAULT_CONFIDENCE } from './mann-whitney.ts';
import { judgeMetric, type MetricSamples } from './metric-judgement.ts';

export interface CanaryJudgeOptions {
  /** Confidence of the test and of the shift interval. Default 0.98. */
  confidence?: number;
  /** Samples per side below which a metric is `unknown`. Default 20. */
  minSamples?: number;
  /** Score at or above which the canary passes. Default 0.95. */
  passScore?: number;
  /** Score at or above which (and below passScore) it is marginal. Default 0.75. */
  marginalScore?: number;
  /** Share of its weight a marginal metric earns in the score, 0..1. Default 0.5. */
  marginalCredit?: number;
  /** Largest share of the total weight that may be unknown before the canary is unknown. Default 0.5. */
  maxUnknownWeight?: number;
}

export type CanaryClassification = 'pass' | 'marginal' | 'fail' | 'unknown';

export interface GroupScore {
  group: string;
  /** Weighted share passing within the group; null when nothing in it could be judged. */
  score: number | null;
  weight: number;
}

export interface CanaryJudgement {
  metrics: MetricComparison[];
  groups: GroupScore[];
  score: number | null;
  classification: CanaryClassification;
  /** One line each: the decision first, then each metric that did not pass. */
  reasons: string[];
  settings: Required<CanaryJudgeOptions>;
}

export const CANARY_DEFAULTS: Required<CanaryJudgeOptions> = {
  confidence: DEFAULT_CONFIDENCE,
  minSamples: 20,
  passScore: 0.95,
  marginalScore: 0.75,
  marginalCredit: 0.5,
  maxUnknownWeight: 0.5,
};

function settingsOf(options: CanaryJudgeOptions): Required<CanaryJudgeOptions> {
  const settings = { ...CANARY_DEFAULTS, ...options };
  const share = (name: keyof CanaryJudgeOptions, low: number, high: number, open = false) => {
    const v = settings[name];
    if (!(Number.isFinite(v) && (open ? v > low && v < high : v >= low && v <= high))) {
      throw new HarnessError('CONFIG_INVALID', `canary: ${name} must be in ${open ? '(' : '['}${low}, ${high}${open ? ')' : ']'}, got ${v}`);
    }
  };
  share('confidence', 0, 1, true);
  share('passScore', 0, 1);
  share('marginalScore', 0, 1);
  share('marginalCredit', 0, 1);
  share('maxUnknownWeight', 0, 1);
  if (!(Number.isInteger(settings.minSamples) && settings.minSamples >= 1)) throw new HarnessError('CONFIG_INVALID', `canary: minSamples must be an integer >= 1, got ${settings.minSamples}`);
  if (settings.marginalScore > settings.passScore) throw new HarnessError('CONFIG_INVALID', `canary: marginalScore ${settings.marginalScore} is above passScore ${settings.passScore}`);
  return settings;
}

function weightedScore(metrics: readonly MetricComparison[], marginalCredit: number): number | null {
  const credit = { pass: 1, marginal: marginalCredit, fail: 0 } as const;
  let earned = 0;
  let total = 0;
  for (const m of metrics) {
    if (m.classification === 'unknown') continue;
    earned += m.weight * credit[m.classification];
    total += m.weight;
  }
  return total === 0 ? null : earned / total;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

export function judgeCanary(samples: readonly MetricSamples[], options: CanaryJudgeOptions = {}): CanaryJudgement {
  const settings = settingsOf(options);
  const names = new Set<string>();
  for (const s of samples) {
    if (names.has(s.name)) throw new HarnessError('CONFIG_INVALID', `canary: metric '${s.name}' is defined twice`);
    names.add(s.name);
  }
  const metrics = samples.map((s) => judgeMetric(s, settings));
  const groups: GroupScore[] = [...new Set(metrics.map((m) => m.group))].map((group) => {
    const members = metrics.filter((m) => m.group === group);
    return { group, score: weightedScore(members, settings.marginalCredit), weight: members.reduce((sum, m) => sum + m.weight, 0) };
  });
  const score = weightedScore(metrics, settings.marginalCredit);
  const totalWeight = metrics.reduce((sum, m) => sum + m.weight, 0);
  const unknownWeight = metrics.filter((m) => m.classification === 'unknown').reduce((sum, m) => sum + m.weight, 0);
  const criticalFailed = metrics.filter((m) => m.critical && m.classification === 'fail');
  const criticalUnknown = metrics.filter((m) => m.critical && m.classification === 'unknown');
  const thresholds = `pass >= ${settings.passScore}, marginal >= ${settings.marginalScore}`;

  let classification: CanaryClassification;
  let decision: string;
  if (criticalFailed.length > 0) {
    classification = 'fail';
    decision = `canary fails: critical metric(s) ${criticalFailed.map((m) => m.name).join(', ')} failed`;
  } else if (score === null) {
    classification = 'unknown';
    decision = metrics.length === 0 ? 'canary unknown: no metrics to judge' : 'canary unknown: no metric had enough data to judge';
  } else if (score < settings.marginalScore) {
    classification = 'fail';
    decision = `canary fails: score ${round(score)} (${thresholds})`;
  } else if (criticalUnknown.length > 0) {
    classification = 'unknown';
    decision = `canary unknown: critical metric(s) ${criticalUnknown.map((m) => m.name).join(', ')} had too little data`;
  } else if (unknownWeight > settings.maxUnknownWeight * totalWeight) {
    classification = 'unknown';
    decision = `canary unknown: ${round(unknownWeight / totalWeight)} of the weight had too little data (at most ${settings.maxUnknownWeight})`;
  } else {
    classification = score >= settings.passScore ? 'pass' : 'marginal';
    decision = `canary ${classification === 'pass' ? 'passes' : 'is marginal'}: score ${round(score)} (${thresholds})`;
  }
  const judged = metrics.filter((m) => m.classification !== 'unknown').length;
  const reasons = [
    `${decision}; ${judged} of ${metrics.length} metric(s) judged at ${settings.confidence * 100}% confidence, at least ${settings.minSamples} samples per side`,
    ...metrics.filter((m) => m.classification !== 'pass').map((m) => `${m.name} (${m.group}${m.critical ? ', critical' : ''}): ${m.classification}: ${m.reason}`),
  ];
  return { metrics, groups, score, classification, reasons, settings };
}
