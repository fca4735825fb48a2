import { HarnessError } from '../../harness/errors.ts';
import type { Path } from '../../harness/validation.ts';

/**
 * SLA thresholds, k6-style: one string per threshold, `'<metric>[(<arg>)][.<stat>] <op> <value>[unit]'`,
 * e.g. `'e2e_latency.p99 < 5s'`, `'lost == 0'`, `'throughput > 500/s'` (inputs consumed),
 * `'throughput(records) > 50/s'` (records observed on an output, by role or topic), or a
 * metric the SUT exposes: `'sut.<prometheus name>.<stat> <op> <count>'`
 * (`'sut.dropped_records_total.max <= 0'`). Durations are normalised to milliseconds. A
 * threshold whose metric was not measured is `'unknown'`, never a pass.
 */
export type MetricKind = 'duration' | 'rate' | 'count';

export interface MetricSpec {
  kind: MetricKind;
  /** Allowed stats; when non-empty a stat is required, when empty none is allowed. */
  stats: readonly string[];
  /** What an argument in parentheses names, when the metric takes one (optional). */
  arg?: string;
  summary: string;
}

/** Every metric a threshold may name, with its kind and stats. */
export const METRICS = {
  e2e_latency: { kind: 'duration', stats: ['p50', 'p95', 'p99', 'max', 'mean'], summary: 'send (sp-send-ts) to output observed, per record' },
  consumer_lag: { kind: 'count', stats: ['max', 'last'], summary: "records behind the SUT's consumer group, summed over input partitions" },
  throughput: { kind: 'rate', stats: [], arg: 'an output role or topic', summary: 'input records the SUT consumed per second over the phase; throughput(<role or topic>): records observed on that output per second' },
  recovery_time: { kind: 'duration', stats: [], summary: 'from the last heal until lag and latency are back to the steady baseline' },
  drain_time: { kind: 'duration', stats: [], summary: 'from the end of sending until the consumer lag is 0' },
  lost: { kind: 'count', stats: [], summary: 'acknowledged sends never seen in the output' },
  duplicates: { kind: 'count', stats: [], summary: 'inputs seen more than once in the output' },
  dlq: { kind: 'count', stats: [], summary: 'records written to the dead-letter topic' },
  late: { kind: 'count', stats: [], summary: 'records routed to the late-data topic' },
  rpo_records: { kind: 'count', stats: [], summary: 'failover drills: acknowledged sends on the primary that never reached the DR site' },
  rpo_time: { kind: 'duration', stats: [], summary: 'failover drills: from the oldest acknowledged send that never reached the DR site to the disaster (0 when none)' },
  rto: { kind: 'duration', stats: [], summary: 'failover drills: from the disaster to the first output from the DR site' },
  rto_steady: { kind: 'duration', stats: [], summary: "failover drills: from the disaster until the DR site's outputs stay within the steady latency bound" },
  failover_duplicates: { kind: 'count', stats: [], summary: 'failover drills: events output on both sites (re-read after the switch)' },
  sut: { kind: 'count', stats: ['max', 'min', 'mean', 'last', 'increase'], arg: 'a Prometheus metric name', summary: "a metric the SUT exposes at its metricsUrl, written sut.<name>.<stat>; over every instance and label set: max/min/mean of all samples, last = sum of each series' last value, increase = sum of each series' last minus first" },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/**
 * Timing and throughput: what the machine's speed sets as much as the SUT's. Calibration may
 * move their bounds, and the harness does not judge them where the host was starved of CPU
 * (harness/run/host-cpu.ts). Correctness counts and the SUT's own metrics are promises.
 */
export const MACHINE_METRICS: readonly MetricName[] = ['e2e_latency', 'consumer_lag', 'throughput', 'recovery_time', 'drain_time', 'rto', 'rto_steady', 'rpo_time'];

export const THRESHOLD_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];

/** `ms` for durations (normalised), `/s` for rates, `count` for counts. */
export type ThresholdUnit = 'ms' | '/s' | 'count';

export interface Threshold {
  metric: MetricName;
  /** `throughput(records)`: the output role or topic; `sut.<name>.<stat>`: the SUT's metric name. */
  arg?: string;
  stat?: string;
  op: ThresholdOp;
  /** In the unit: milliseconds for durations, events per second for rates, a number for counts. */
  value: number;
  unit: ThresholdUnit;
  /** The string as written. */
  source: string;
}

export interface ThresholdResult {
  passed: boolean | 'unknown';
  measured: number | undefined;
  threshold: Threshold;
}

const SHAPE = /^([a-z][a-z0-9_]*)(?:\(([A-Za-z0-9._$[\]-]+)\))?(?:\.([a-z0-9]+))?\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+)?)(ms|s|m|\/s)?$/;
/** `sut.<prometheus metric name>[.<stat>] ...`: Prometheus names have no dots. */
const SUT_SHAPE = /^sut\.([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\.([a-z0-9]+))?\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+)?)(ms|s|m|\/s)?$/;
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000 } as const;
const GRAMMAR = `'<metric>[.<stat>] <op> <value>[unit]' with metric one of ${METRIC_NAMES.join(', ')}, op one of ${THRESHOLD_OPS.join(' ')} (also 'throughput(<output role or topic>)' and 'sut.<name>.<stat>')`;

function reject(path: Path, expected: string, text: unknown): never {
  throw new HarnessError('CONFIG_INVALID', `${path}: expected ${expected}, got ${typeof text === 'string' ? `'${text}'` : (JSON.stringify(text) ?? String(text))}`);
}

/** Parses one threshold; errors name `path` and what was expected. */
export function parseThreshold(text: unknown, path: Path = 'threshold'): Threshold {
  if (typeof text !== 'string') reject(path, GRAMMAR, text);
  const trimmed = text.trim();
  const sutMatch = trimmed.startsWith('sut.') ? SUT_SHAPE.exec(trimmed) : null;
  if (trimmed.startsWith('sut.') && !sutMatch) reject(path, `'sut.<name>.<stat> <op> <count>' with a Prometheus metric name (letters, digits, _ and :) and stat one of ${METRICS.sut.stats.join(', ')}`, text);
  const match = sutMatch ? [sutMatch[0], 'sut', sutMatch[1], ...sutMatch.slice(2)] : SHAPE.exec(trimmed);
  if (!match) reject(path, GRAMMAR, text);
  const [, name, arg, stat, op, number, unitText] = match as unknown as [string, string, string | undefined, string | undefined, ThresholdOp, string, string | undefined];
  if (!(name in METRICS) || (name === 'sut' && !sutMatch)) reject(path, `a metric one of ${METRIC_NAMES.join(', ')}`, text);
  const metric = name as MetricName;
  const spec: MetricSpec = METRICS[metric];
  if (arg !== undefined && spec.arg === undefined) reject(path, `no argument after '${metric}'`, text);
  const withArg = arg === undefined ? {} : { arg };
  if (spec.stats.length > 0 && stat === undefined) reject(path, `a stat after '${metric}.' (one of ${spec.stats.join(', ')})`, text);
  if (spec.stats.length === 0 && stat !== undefined) reject(path, `no stat after '${metric}' (it has one value per phase)`, text);
  if (stat !== undefined && !spec.stats.includes(stat)) reject(path, `a stat of ${metric} one of ${spec.stats.join(', ')}`, text);
  const raw = Number(number);
  switch (spec.kind) {
    case 'duration': {
      if (unitText === undefined || unitText === '/s') reject(path, `a duration for ${metric} (a value with unit ms, s or m, e.g. '5s')`, text);
      const value = raw * DURATION_UNITS[unitText as keyof typeof DURATION_UNITS];
      return { metric, ...withArg, ...(stat === undefined ? {} : { stat }), op, value, unit: 'ms', source: text };
    }
    case 'rate':
      if (unitText !== '/s') reject(path, `a rate for ${metric} (a value with unit /s, e.g. '500/s')`, text);
      return { metric, ...withArg, op, value: raw, unit: '/s', source: text };
    case 'count':
      if (unitText !== undefined) reject(path, `a plain count for ${metric} (no unit, e.g. '${metric}${stat ? `.${stat}` : ''} ${op} ${number}')`, text);
      return { metric, ...withArg, ...(stat === undefined ? {} : { stat }), op, value: raw, unit: 'count', source: text };
  }
}

/** The key of the measurement a threshold reads: `e2e_latency.p99`, `lost`, `throughput(records)`, `sut.x_total.max`. */
export function thresholdKey(threshold: Pick<Threshold, 'metric' | 'stat' | 'arg'>): string {
  const base = threshold.metric === 'sut' ? `sut.${threshold.arg}` : threshold.arg === undefined ? threshold.metric : `${threshold.metric}(${threshold.arg})`;
  return threshold.stat === undefined ? base : `${base}.${threshold.stat}`;
}

/** Compares a measurement (in the threshold's unit) with a threshold; no measurement is 'unknown'. */
export function evaluateThreshold(threshold: Threshold, measured: number | undefined): ThresholdResult {
  if (measured === undefined || !Number.isFinite(measured)) return { passed: 'unknown', measured, threshold };
  const v = threshold.value;
  const passed = {
    '<': measured < v,
    '<=': measured <= v,
    '>': measured > v,
    '>=': measured >= v,
    '==': measured === v,
    '!=': measured !== v,
  }[threshold.op];
  return { passed, measured, threshold };
}

/**
 * How near a measurement came to a bound: measured/bound for an upper bound, bound/measured for
 * a lower one (1 is at the bound, above 1 past it); null where there is no ratio (`==`, `!=`, an
 * upper bound of 0). The suite report and `calibrate` print it.
 */
export function boundRatio(op: string, bound: number, measured: number): number | null {
  if (op === '<' || op === '<=') return bound === 0 ? null : measured / bound;
  if (op === '>' || op === '>=') return measured === 0 ? (bound > 0 ? Infinity : null) : bound / measured;
  return null;
}
