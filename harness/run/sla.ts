/**
 * SLA evaluation: each scenario threshold (`e2e_latency.p99 < 5s` under a phase or `run`) is
 * mapped to a measured value from the metrics report and the checker counts, then judged by
 * `evaluateThreshold`. Nothing measured → 'unknown', never a pass.
 */
import type { CheckResult, MetricsReport } from '../checkers/index.ts';
import type { OutputCount } from '../checkers/consumption.ts';
import { evaluateThreshold, MACHINE_METRICS, type Threshold } from '../../scenarios/model/thresholds.ts';
import { STARVED_STEAL } from './host-cpu.ts';
import type { SlaResult } from './run-result.ts';
import { FAILOVER_CHECK } from '../drill/drill-meta.ts';

/** Counts the metrics report does not hold (from the checkers and the observed table). */
export interface SlaCounts {
  lost?: number;
  duplicates?: number;
  dlq?: number;
  late?: number;
  /** From the failover check (harness/drill/failover-check.ts): rpo_records, rpo_time, rto, rto_steady, failover_duplicates. */
  drill?: Partial<Record<DrillMetric, number | null>>;
}

export const DRILL_METRICS = ['rpo_records', 'rpo_time', 'rto', 'rto_steady', 'failover_duplicates'] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];

export interface MeasuredValue {
  value: number | undefined;
  note?: string;
  /** The fault never recovered within the run: a `<`/`<=` bound fails, unless the run watched for less than the bound (`watchedMs`). */
  neverRecovered?: boolean;
  /** For a fault that never recovered: how long the run watched after its heal (to the last output), in ms. */
  watchedMs?: number;
}

function scopeMetrics(metrics: MetricsReport, scope: string) {
  if (scope === 'run') {
    const starts = metrics.phases.map((p) => p.startUs);
    const ends = metrics.phases.map((p) => p.endUs).filter((e): e is number => e !== null);
    const seconds = starts.length > 0 && ends.length > 0 ? (Math.max(...ends) - Math.min(...starts)) / 1e6 : 0;
    return { ...metrics.overall, throughputPerS: seconds > 0 ? metrics.overall.outputs / seconds : null, seconds, outputsBy: metrics.phases.flatMap((p) => p.outputsBy ?? []), found: true };
  }
  const phase = metrics.phases.find((p) => p.name === scope);
  const seconds = phase?.endUs === null || phase === undefined ? 0 : (phase.endUs - phase.startUs) / 1e6;
  return phase ? { ...phase, seconds, found: true } : { latency: null, lag: null, throughputPerS: null, outputs: 0, consumedPerS: null, outputsBy: [], seconds: 0, found: false };
}

/** Records observed per second on the outputs a `throughput(<arg>)` names: a declared role, or a topic (as described, or as the run named it). */
function outputThroughput(outputsBy: readonly OutputCount[], arg: string, seconds: number): MeasuredValue {
  const matches = (o: OutputCount) => o.role === arg || o.topic === arg || o.topic.endsWith(`.${arg}`);
  if (!(seconds > 0)) return { value: undefined, note: 'the scope has no duration' };
  const hit = outputsBy.filter(matches);
  if (hit.length === 0) return { value: 0, note: `no record observed on an output with role or topic '${arg}'` };
  return { value: hit.reduce((n, o) => n + o.records, 0) / seconds };
}

function consumedThroughput(m: { consumedPerS?: number | null }, metrics: MetricsReport): MeasuredValue {
  if (m.consumedPerS !== null && m.consumedPerS !== undefined) return { value: m.consumedPerS };
  const why = metrics.consumptionSource === 'none' || metrics.consumptionSource === undefined
    ? 'input consumption not measurable: the SUT committed no offsets (name an output instead: throughput(records))'
    : 'fewer than two consumption samples in the scope';
  return { value: undefined, note: why };
}

/** The measured value of one threshold's metric over one scope (a phase name or 'run'). */
export function measure(threshold: Pick<Threshold, 'metric' | 'stat' | 'arg'>, scope: string, metrics: MetricsReport | null, counts: SlaCounts): MeasuredValue {
  switch (threshold.metric) {
    case 'lost':
    case 'duplicates':
      return { value: counts[threshold.metric] };
    case 'dlq':
    case 'late':
      // Counted only for a SUT that declares such an output (judge-history.ts).
      return counts[threshold.metric] === undefined ? { value: undefined, note: `the SUT declares no ${threshold.metric} output` } : { value: counts[threshold.metric] };
    case 'rpo_records':
    case 'rpo_time':
    case 'rto':
    case 'rto_steady':
    case 'failover_duplicates': {
      if (!counts.drill) return { value: undefined, note: 'measured only by a failover drill' };
      const value = counts.drill[threshold.metric];
      // The DR site never produced (or never settled): a `<` bound fails, as a fault that never recovered.
      if (value === null) return { value: undefined, neverRecovered: threshold.metric.startsWith('rto'), note: `${threshold.metric}: the DR site never got there within the run` };
      return value === undefined ? { value: undefined, note: `${threshold.metric} was not measured` } : { value };
    }
  }
  if (!metrics) return { value: undefined, note: 'no metrics' };
  switch (threshold.metric) {
    case 'recovery_time': {
      const healed = metrics.recoveries.filter((r) => r.healUs !== null);
      if (healed.length === 0) return { value: undefined, note: 'no healed fault' };
      // No traffic after the heal: recovery is unknown, never "never recovered".
      const unmeasured = healed.filter((r) => r.measurable === false);
      const never = healed.filter((r) => r.recoveryMs === null && r.measurable !== false);
      if (never.length > 0) {
        const end = metrics.drain.lastOutputUs ?? metrics.drain.lastLoadEndUs;
        const watchedMs = end === null ? undefined : Math.max(0, Math.min(...never.map((r) => end - r.healUs!))) / 1000;
        return { value: undefined, neverRecovered: true, watchedMs, note: `${never.map((r) => r.faultId).join(', ')} never recovered: ${never[0]!.note}` };
      }
      if (unmeasured.length > 0) return { value: undefined, note: `${unmeasured.map((r) => r.faultId).join(', ')}: ${unmeasured[0]!.note}` };
      return { value: Math.max(...healed.map((r) => r.recoveryMs!)) };
    }
    case 'drain_time':
      return metrics.drain.drainMs === null ? { value: undefined, note: 'no drain measured' } : { value: metrics.drain.drainMs };
    case 'sut': {
      const name = `sut.${threshold.arg}`;
      const stats = metrics.sut?.[name]?.[scope];
      if (!stats) return { value: undefined, note: `no sample of ${name} in '${scope}' (does the SUT file set metricsUrl, and does the SUT expose ${threshold.arg}?)` };
      return { value: stats[threshold.stat as 'max' | 'min' | 'mean' | 'last' | 'increase'] };
    }
  }
  const m = scopeMetrics(metrics, scope);
  if (!m.found) return { value: undefined, note: `phase '${scope}' was not recorded` };
  switch (threshold.metric) {
    case 'e2e_latency': {
      if (!m.latency) return { value: undefined, note: 'no latency samples' };
      const byStat: Record<string, number | undefined> = { mean: m.latency.meanMs, p50: m.latency.p50Ms, p95: m.latency.p95Ms, p99: m.latency.p99Ms, max: m.latency.maxMs };
      const value = byStat[threshold.stat ?? ''];
      return value === undefined ? { value: undefined, note: `stat '${threshold.stat}' is not measured` } : { value };
    }
    case 'consumer_lag': {
      if (!m.lag) return { value: undefined, note: 'no lag samples' };
      return { value: threshold.stat === 'last' ? m.lag.last : threshold.stat === 'max' ? m.lag.max : undefined };
    }
    case 'throughput':
      return threshold.arg === undefined ? consumedThroughput(m, metrics) : outputThroughput(m.outputsBy ?? [], threshold.arg, m.seconds);
    default:
      return { value: undefined, note: `metric '${String(threshold.metric)}' is not measured` };
  }
}

/**
 * Evaluates every threshold of every scope. `stealOf(scope)` is the host's mean CPU steal there
 * (host-cpu.ts): a timing or throughput SLA keeps it as evidence, and one missed where the
 * hypervisor took STARVED_STEAL or more is `unknown`: the figure measured the host, and a pass
 * there would not have been earned either way (a pass stays a pass: steal only slows).
 */
export function evaluateSlas(slas: Partial<Record<string, readonly Threshold[]>>, metrics: MetricsReport | null, counts: SlaCounts, stealOf: (scope: string) => number | undefined = () => undefined): SlaResult[] {
  const results: SlaResult[] = [];
  for (const [scope, thresholds] of Object.entries(slas)) {
    for (const threshold of thresholds ?? []) {
      const measured = measure(threshold, scope, metrics, counts);
      let passed: SlaResult['passed'] = evaluateThreshold(threshold, measured.value).passed;
      let note = measured.note;
      if (measured.neverRecovered && (threshold.op === '<' || threshold.op === '<=')) {
        // Not back by the end is a miss only if the run watched for the whole bound: a heal late in the run proves nothing yet.
        const short = measured.watchedMs !== undefined && measured.watchedMs < threshold.value;
        passed = short ? 'unknown' : false;
        if (short) note = `the run ended ${(measured.watchedMs! / 1000).toFixed(1)} s after the heal, too soon to tell whether it recovers within ${threshold.value / 1000} s; ${note}`;
      }
      const result: SlaResult = { scope, threshold: threshold.source, measured: measured.value ?? null, passed };
      if (note) result.note = note;
      const steal = MACHINE_METRICS.includes(threshold.metric) ? stealOf(scope) : undefined;
      if (steal !== undefined) {
        result.hostSteal = steal;
        if (passed === false && steal >= STARVED_STEAL) {
          result.passed = 'unknown';
          const starved = `not judged: the hypervisor took ${Math.round(steal * 100)}% of the host's CPU over '${scope}' (host.cpu.steal; ${Math.round(STARVED_STEAL * 100)}% or more starves the pipeline), so this figure measured the host; rerun on a quieter host`;
          result.note = measured.note ? `${starved}; ${measured.note}` : starved;
        }
      }
      results.push(result);
    }
  }
  return results;
}

/** SLA counts taken from checker results: a count is only known when its checker could decide. */
export function countsFromChecks(checks: readonly CheckResult[], observedCounts: { dlq?: number; late?: number }): SlaCounts {
  const counts: SlaCounts = { ...observedCounts };
  const lost = checks.find((c) => c.checker === 'lost');
  if (lost && lost.valid !== 'unknown' && typeof lost.counts.lost === 'number') counts.lost = lost.counts.lost;
  const dup = checks.find((c) => c.checker === 'duplicates');
  if (dup && dup.valid !== 'unknown' && typeof dup.counts.duplicatedEvents === 'number') counts.duplicates = dup.counts.duplicatedEvents;
  const failover = checks.find((c) => c.checker === FAILOVER_CHECK);
  if (failover) counts.drill = Object.fromEntries(DRILL_METRICS.filter((m) => m in failover.counts || `${m}_never` in failover.counts).map((m) => [m, failover.counts[`${m}_never`] ? null : failover.counts[m]!]));
  return counts;
}
