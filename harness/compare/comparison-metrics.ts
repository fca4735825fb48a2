/**
 * The metrics a comparison judges, baseline against candidate (Mann-Whitney U + Hodges-Lehmann,
 * see docs/compare.md). Latency and lag are critical: a version that is significantly and
 * meaningfully slower, or falls behind, fails whatever the other metrics say. Lag's floor is
 * half a second of one partition's input, so a few records of commit-interval jitter between
 * two identical versions never count. With five to nine metrics the pass score is 0.85 (the
 * core's 0.95 assumes about ten): one marginal metric still passes (0.9), one failing metric
 * of five does not (0.8, marginal).
 */
import { judgeCanary, type CanaryJudgement, type CanaryJudgeOptions } from './canary-judge.ts';
import type { MetricSamples } from './metric-judgement.ts';
import type { SideSamples } from './side-samples.ts';

export interface ComparisonMetricOptions extends CanaryJudgeOptions {
  /** Input records per second per partition (sets lag's floor). */
  perPartitionRate: number;
  /** Smallest latency shift that matters, ms. Default 5. */
  minLatencyShiftMs?: number;
}

export const COMPARISON_PASS_SCORE = 0.85;

export function comparisonMetrics(baseline: SideSamples, candidate: SideSamples, options: ComparisonMetricOptions): MetricSamples[] {
  return [
    { name: 'e2e_latency_ms', group: 'latency', direction: 'higher-is-worse', critical: true, minAbsoluteEffect: options.minLatencyShiftMs ?? 5, baseline: baseline.latencyMs, candidate: candidate.latencyMs },
    { name: 'throughput_vs_input_per_partition', group: 'throughput', direction: 'lower-is-worse', baseline: baseline.throughput, candidate: candidate.throughput },
    { name: 'consumer_lag_per_partition', group: 'lag', direction: 'higher-is-worse', critical: true, minAbsoluteEffect: Math.max(1, options.perPartitionRate / 2), baseline: baseline.lag, candidate: candidate.lag },
    { name: 'dlq_rate_per_partition', group: 'errors', direction: 'higher-is-worse', minAbsoluteEffect: 0.1, baseline: baseline.dlqRate, candidate: candidate.dlqRate },
    // Lines per second per instance; one line in a second is already a shift of 1.
    { name: 'error_log_rate_per_instance', group: 'errors', direction: 'higher-is-worse', minAbsoluteEffect: 0.1, baseline: baseline.errorRate, candidate: candidate.errorRate },
    ...phaseMetrics(baseline, candidate, options),
  ];
}

/**
 * Latency and lag within each fault phase, as metrics of their own (not critical): a crash
 * strands a few seconds of one version's records, which hardly moves a whole run's medians
 * but dominates the fault phase. Only phases either side has samples in.
 */
function phaseMetrics(baseline: SideSamples, candidate: SideSamples, options: ComparisonMetricOptions): MetricSamples[] {
  const names = [...new Set([...Object.keys(baseline.byPhase ?? {}), ...Object.keys(candidate.byPhase ?? {})])].sort();
  return names.flatMap((phase): MetricSamples[] => {
    const b = baseline.byPhase?.[phase] ?? { latencyMs: [], lag: [] };
    const c = candidate.byPhase?.[phase] ?? { latencyMs: [], lag: [] };
    return [
      { name: `e2e_latency_ms[${phase}]`, group: 'recovery', direction: 'higher-is-worse', minAbsoluteEffect: options.minLatencyShiftMs ?? 5, baseline: b.latencyMs, candidate: c.latencyMs },
      { name: `consumer_lag_per_partition[${phase}]`, group: 'recovery', direction: 'higher-is-worse', minAbsoluteEffect: Math.max(1, options.perPartitionRate / 2), baseline: b.lag, candidate: c.lag },
    ];
  });
}

export function judgeSides(baseline: SideSamples, candidate: SideSamples, options: ComparisonMetricOptions): CanaryJudgement {
  const { perPartitionRate: _rate, minLatencyShiftMs: _shift, ...judge } = options;
  return judgeCanary(comparisonMetrics(baseline, candidate, options), { passScore: COMPARISON_PASS_SCORE, ...judge });
}
