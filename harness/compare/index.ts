export { CANARY_DEFAULTS, judgeCanary } from './canary-judge.ts';
export type { CanaryClassification, CanaryJudgement, CanaryJudgeOptions, GroupScore } from './canary-judge.ts';
export type {
  CompareMode,
  ComparisonResult,
  DiffClass,
  DiffClassResult,
  DiffExample,
  MetricClassification,
  MetricComparison,
  NoiseField,
  RecordDiff,
  SampleStats,
} from './comparison-result.ts';
export { decideComparison } from './comparison-verdict.ts';
export type { ComparisonVerdict, ComparisonVerdictInput } from './comparison-verdict.ts';
export { DIFF_CLASSES } from './diff-class-tally.ts';
export { hodgesLehmannShift } from './hodges-lehmann.ts';
export type { HodgesLehmannShift } from './hodges-lehmann.ts';
export { DEFAULT_CONFIDENCE, mannWhitney } from './mann-whitney.ts';
export type { MannWhitneyOptions, MannWhitneyResult } from './mann-whitney.ts';
export { DEFAULT_EFFECT_THRESHOLD, judgeMetric } from './metric-judgement.ts';
export type { MetricDefinition, MetricSamples } from './metric-judgement.ts';
export { calibrateNoise, DEFAULT_NOISE_MIN_COMPARED, DEFAULT_NOISE_MIN_RATE } from './noise-calibration.ts';
export type { NoiseCalibration, NoiseCalibrationOptions } from './noise-calibration.ts';
export { normalCdf, normalQuantile, normalSf } from './normal-distribution.ts';
export { DEFAULT_TOLERANCE } from './numeric-tolerance.ts';
export type { NumericTolerance } from './numeric-tolerance.ts';
export { PairwiseDifferences } from './pairwise-differences.ts';
export { DEFAULT_MAX_EXAMPLES, diffRecords } from './record-diff.ts';
export type { OutputRecord, RecordDiffOptions } from './record-diff.ts';
export { quantileOfSorted, sampleStats } from './sample-stats.ts';
