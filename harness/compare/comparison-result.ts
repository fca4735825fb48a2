/**
 * What `streamproof compare` says: the record-level diff of two SUTs' outputs, the statistical
 * comparison of their behaviour, and one verdict. Written to `<runDir>/comparison.json`; the
 * reports render it. Fields may be added (optional), never renamed.
 */
import type { Verdict } from '../run/run-result.ts';

export type CompareMode = 'shadow' | 'canary';

/** Classes of record-level differences between baseline and candidate outputs. */
export type DiffClass = 'missing' | 'extra' | 'changed' | 'duplicated' | 'out-of-order';

export interface DiffExample {
  /** The output key, e.g. `{"window":"...","region":"eu"}` rendered as a string. */
  key: string;
  baseline?: unknown;
  candidate?: unknown;
  /** For `changed`: which fields differ. */
  fields?: string[];
}

export interface DiffClassResult {
  class: DiffClass;
  count: number;
  examples: DiffExample[];
}

/** A field that differed between two copies of the baseline (A/A): excluded from the verdict. */
export interface NoiseField {
  field: string;
  /** Share of compared records in which it differed in the A/A run, 0..1. */
  rate: number;
}

export interface RecordDiff {
  /** Records compared (keys present in both, after excluding in-flight ones). */
  compared: number;
  /** Keys newer than the last common watermark, not counted as differences. */
  inFlight: number;
  classes: DiffClassResult[];
  noise: NoiseField[];
  /** Records (both sides) of the in-flight keys. */
  inFlightRecords?: number;
  /** The watermark the in-flight rule used; null when none was given (nothing in flight). */
  lastCommonWatermarkMs?: number | null;
  /** Fields left out of the comparison by configuration (not learned): a parent covers its children. */
  ignoredFields?: string[];
  /** A/A record pairs the noise rates were learned from. */
  noiseCompared?: number;
  /** How often each field differed among the `changed` records, most frequent first. */
  changedFields?: { field: string; count: number }[];
  /** Records read on each side, before excluding in-flight ones. */
  records?: { baseline: number; candidate: number };
}

export type MetricClassification = 'pass' | 'marginal' | 'fail' | 'unknown';

export interface SampleStats {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface MetricComparison {
  name: string;
  group: string;
  weight: number;
  critical: boolean;
  /** `higher-is-worse` for latency/lag/errors, `lower-is-worse` for throughput. */
  direction: 'higher-is-worse' | 'lower-is-worse';
  baseline: SampleStats;
  candidate: SampleStats;
  /** Mann-Whitney U two-sided p-value; null when a sample is too small. */
  pValue: number | null;
  /** Hodges-Lehmann estimate of candidate - baseline, with its confidence interval. */
  shift: { estimate: number; low: number; high: number; confidence: number } | null;
  /** Relative effect of the shift versus the baseline median (0.1 = 10% worse). */
  effect: number | null;
  classification: MetricClassification;
  reason: string;
  /** The relative worsening that counts as meaningful for this metric (0.1 = 10%). */
  effectThreshold?: number;
  /** How the test was computed: U of the candidate, exact or normal p-value, the coverage the interval really has. */
  test?: { u: number; method: 'exact' | 'normal'; ties: boolean; achievedConfidence: number };
}

export interface ComparisonResult {
  mode: CompareMode;
  scenario: string;
  seed: number;
  replay: string;
  runDir: string;
  baseline: { name: string; description?: string };
  candidate: { name: string; description?: string };
  /** Canary: the candidate's share of the input partitions. */
  fraction?: number;
  diff: RecordDiff | null;
  metrics: MetricComparison[];
  /** Weighted share of passing metrics, 0..1; null when no metric could be judged. */
  score: number | null;
  verdict: Verdict;
  /** Why the verdict is what it is, one line each. */
  reasons: string[];
}
