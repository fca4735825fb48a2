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

/** One attempt of a scenario `run --repeat` ran again (harness/run/run-attempts.ts), with its report. */
export interface ReportAttempt {
  attempt: number;
  /** Its run dir relative to this one: '.' for the first. */
  dir: string;
  verdict: 'pass' | 'fail' | 'unknown' | 'error';
  failed: string[];
  error?: string;
  /** Its report.html, relative to this run dir. */
  report: string;
}

/** A phase's mean share (0..1) of the machine's CPU: busy, in I/O wait, stolen by the hypervisor. */
export interface ReportHostCpu { samples: number; busy: number; iowait: number; steal: number }

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
  /** Present when `run --repeat` ran the failing scenario again: every attempt, this one first. */
  attempts?: ReportAttempt[];
  /** Per phase, what the machine's CPU did while it ran (run_meta `host.cpu`); absent without samples. */
  hostCpu?: Record<string, ReportHostCpu>;
  /** Present when the run dir holds comparison.json (streamproof compare). */
  comparison?: ComparisonResult;
}
