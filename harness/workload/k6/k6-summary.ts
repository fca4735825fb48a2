import { HarnessError } from '../../errors.ts';

/** The parts of k6's end-of-test summary (the `handleSummary` data) that we rely on. */
export interface K6Summary {
  metrics: Record<string, K6SummaryMetric>;
  state?: { testRunDurationMs?: number };
  [key: string]: unknown;
}

export interface K6SummaryMetric {
  type: string;
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface K6Threshold {
  metric: string;
  expression: string;
  ok: boolean;
}

/** What a k6 produce run did, read from its summary. */
export interface K6Facts {
  messagesWritten: number;
  messagesFailed: number;
  bytesWritten: number;
  droppedIterations: number;
  /** Messages acknowledged per second over the whole test run. */
  ratePerSec: number;
  testRunDurationMs: number;
  /** Produce-call latency percentiles (ms), when any produce happened. */
  produceMs: { p50?: number; p99?: number };
  thresholds: K6Threshold[];
  /** True when every threshold passed (and there was at least one). */
  thresholdsPassed: boolean;
}

/** Validates k6's summary JSON just enough to trust the fields we read; malformed is an error. */
export function parseK6Summary(json: unknown): K6Summary {
  const bad = (why: string) => new HarnessError('INTERNAL', `k6 summary is not what handleSummary writes: ${why}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not an object');
  const metrics = (json as { metrics?: unknown }).metrics;
  if (typeof metrics !== 'object' || metrics === null) throw bad("no 'metrics' object");
  for (const [name, metric] of Object.entries(metrics)) {
    const m = metric as Partial<K6SummaryMetric> | null;
    if (typeof m !== 'object' || m === null || typeof m.type !== 'string' || typeof m.values !== 'object' || m.values === null) {
      throw bad(`metric '${name}' has no type or values`);
    }
  }
  return json as K6Summary;
}

export function k6Facts(summary: K6Summary): K6Facts {
  const value = (metric: string, stat: string): number | undefined => {
    const v = summary.metrics[metric]?.values[stat];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const thresholds: K6Threshold[] = [];
  for (const [metric, m] of Object.entries(summary.metrics)) {
    for (const [expression, result] of Object.entries(m.thresholds ?? {})) thresholds.push({ metric, expression, ok: result.ok === true });
  }
  return {
    messagesWritten: value('kafka_writer_message_count', 'count') ?? 0,
    messagesFailed: value('kafka_writer_error_count', 'count') ?? 0,
    bytesWritten: value('kafka_writer_message_bytes', 'count') ?? 0,
    droppedIterations: value('dropped_iterations', 'count') ?? 0,
    ratePerSec: value('kafka_writer_message_count', 'rate') ?? 0,
    testRunDurationMs: summary.state?.testRunDurationMs ?? 0,
    // One iteration is one synchronous produce() of its batch (and building it): k6's own iteration_duration.
    produceMs: { p50: value('iteration_duration', 'med'), p99: value('iteration_duration', 'p(99)') },
    thresholds,
    thresholdsPassed: thresholds.length > 0 && thresholds.every((t) => t.ok),
  };
}
