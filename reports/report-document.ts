/**
 * The shape of report.json (schema: docs/report-schema.json). Versioned: a field may be added
 * (optional) within a version; a rename or a change of meaning bumps REPORT_SCHEMA_VERSION.
 * Times are milliseconds from the run's start (`offsetMs`) plus one absolute ISO start.
 */
import type { ComparisonResult } from '../harness/compare/comparison-result.ts';
import type { Verdict } from '../harness/run/run-result.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportEnvironment {
  streamproof: string | null;
  node: string | null;
  kafka: string | null;
  provider: string | null;
  brokers: number | null;
  sut: { name: string; instances: number | null; promises: Record<string, unknown> | null } | null;
}

/** `meanMs` is absent in runs judged before the mean was measured. */
export interface ReportLatency { samples: number; meanMs?: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number }

export interface ReportPhase {
  name: string;
  offsetMs: number;
  durationMs: number | null;
  latency: ReportLatency | null;
  outputs: number;
  throughputPerS: number | null;
  lag: { samples: number; max: number; last: number } | null;
}

export interface ReportFault {
  id: string;
  type: string;
  target: string;
  attrs: unknown;
  offsetMs: number;
  /** Heal time from the run start; null when never healed. */
  healOffsetMs: number | null;
  durationMs: number | null;
  error: string | null;
  recoveryMs: number | null;
  recoveryNote: string | null;
}

export interface ReportCheck {
  checker: string;
  valid: true | false | 'unknown';
  summary: string;
  counts: Record<string, number>;
  examples: unknown[];
  error?: string;
  /** Set when the SUT made no promise this checker judges: the reason. The check is shown as skipped, never as a pass. */
  skipped?: string;
}

export interface ReportSla {
  scope: string;
  threshold: string;
  /** Parsed from the threshold text; null when it did not parse. */
  metric: string | null;
  stat: string | null;
  op: string | null;
  limit: number | null;
  unit: 'ms' | '/s' | 'count' | null;
  measured: number | null;
  passed: boolean | 'unknown';
  note?: string;
}

export interface ReportDocument {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'run' | 'comparison';
  generatedAt: string;
  runDir: string;
  scenario: { name: string; description: string | null };
  seed: number | null;
  replay: string;
  verdict: Verdict;
  environment: ReportEnvironment;
  /** ISO time of the run's start (first phase); null without a history. */
  startedAt: string | null;
  durationMs: number | null;
  latencySource: string | null;
  /** The whole run: latency over every output, outputs, throughput over the run's span, lag. */
  overall: { latency: ReportLatency | null; outputs: number; throughputPerS: number | null; lag: { samples: number; max: number; last: number } | null };
  phases: ReportPhase[];
  faults: ReportFault[];
  checks: ReportCheck[];
  slas: ReportSla[];
  notes: string[];
  /** Present when the run dir holds comparison.json (streamproof compare). */
  comparison?: ComparisonResult;
}
