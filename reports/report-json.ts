/** report.json: the run as one versioned document (docs/report-schema.json, docs/reports.md). */
import type { JsonValue } from '../harness/history/history-rows.ts';
import { HOST_CPU_META_KEY } from '../harness/run/host-cpu.ts';
import type { SlaResult } from '../harness/run/run-result.ts';
import { parseThreshold } from '../scenarios/model/thresholds.ts';
import { REPORT_SCHEMA_VERSION, type ReportAttempt, type ReportDocument, type ReportEnvironment, type ReportFault, type ReportHostCpu, type ReportLatency, type ReportPhase, type ReportSla } from './report-document.ts';
import type { RunData } from './run-data.ts';

const text = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
const record = (v: JsonValue | undefined): Record<string, JsonValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};

/** A canary's versions share one group: its instances are all sides' together. */
function instancesOf(data: RunData): number | null {
  const sides = Array.isArray(data.meta.sides) ? data.meta.sides.map((s) => record(s).instances) : [];
  if (sides.length > 1 && sides.every((n) => typeof n === 'number')) return (sides as number[]).reduce((a, b) => a + b, 0);
  const instances = record(data.meta.sut).instances;
  return typeof instances === 'number' ? instances : null;
}

function environment(data: RunData): ReportEnvironment {
  const comparison = data.comparison;
  const versions = record(data.meta.versions);
  const sut = record(data.meta.sut);
  const brokers = data.scenario?.brokers;
  return {
    streamproof: text(versions.streamproof),
    node: text(versions.node),
    kafka: text(versions.kafka),
    provider: text(versions.provider),
    brokers: typeof brokers === 'number' ? brokers : null,
    sut: typeof sut.name === 'string'
      ? { name: comparison ? `${comparison.baseline.name} vs ${comparison.candidate.name}` : sut.name, instances: instancesOf(data), promises: Object.keys(record(sut.promises)).length > 0 ? record(sut.promises) : null }
      : null,
  };
}

/** The threshold parsed back into metric/op/limit, so tools need not parse the text. */
export function reportSla(sla: SlaResult): ReportSla {
  let parsed: ReturnType<typeof parseThreshold> | null = null;
  try {
    parsed = parseThreshold(sla.threshold);
  } catch {
    // a threshold from an older grammar: keep the text only
  }
  return {
    scope: sla.scope,
    threshold: sla.threshold,
    metric: parsed?.metric ?? null,
    stat: parsed?.stat ?? null,
    op: parsed?.op ?? null,
    limit: parsed?.value ?? null,
    unit: parsed?.unit ?? null,
    measured: sla.measured,
    passed: sla.passed,
    ...(sla.note ? { note: sla.note } : {}),
  };
}

/** Only the documented fields: verdict.json may carry more (or, from older runs, fewer). */
function latencyOf(l: Partial<ReportLatency> | null | undefined): ReportLatency | null {
  if (!l || typeof l.samples !== 'number') return null;
  return { samples: l.samples, ...(typeof l.meanMs === 'number' ? { meanMs: l.meanMs } : {}), p50Ms: l.p50Ms!, p95Ms: l.p95Ms!, p99Ms: l.p99Ms!, maxMs: l.maxMs! };
}

function lagOf(l: { samples: number; max: number; last: number } | null | undefined) {
  return l ? { samples: l.samples, max: l.max, last: l.last } : null;
}

/** run_meta `host.cpu` (harness/run/host-cpu.ts) as written, when it has a phase. */
function hostCpuOf(data: RunData): Record<string, ReportHostCpu> | undefined {
  const phases = Object.entries(record(data.meta[HOST_CPU_META_KEY])).flatMap(([phase, v]): [string, ReportHostCpu][] => {
    const { samples, busy, iowait, steal } = record(v);
    return typeof samples === 'number' && typeof busy === 'number' && typeof iowait === 'number' && typeof steal === 'number' ? [[phase, { samples, busy, iowait, steal }]] : [];
  });
  return phases.length > 0 ? Object.fromEntries(phases) : undefined;
}

function attemptsOf(data: RunData): ReportAttempt[] | undefined {
  return data.result.attempts?.map((a) => ({ ...a, report: a.dir === '.' ? 'report.html' : `${a.dir}/report.html` }));
}

/** Run start in epoch µs: the chart origin, else the first phase. */
export function originUs(data: RunData): number | null {
  return data.series?.originUs ?? data.phases[0]?.startUs ?? null;
}

export function buildReportDocument(data: RunData, now = new Date()): ReportDocument {
  const { result } = data;
  const origin = originUs(data);
  const offset = (us: number) => (origin === null ? 0 : Math.round((us - origin) / 1000));
  const metricsOf = new Map((result.metrics?.phases ?? []).map((p) => [p.name, p]));
  const phases: ReportPhase[] = data.phases.map((p) => {
    const m = metricsOf.get(p.name);
    return {
      name: p.name,
      offsetMs: offset(p.startUs),
      durationMs: p.endUs === null ? null : Math.round((p.endUs - p.startUs) / 1000),
      latency: latencyOf(m?.latency),
      outputs: m?.outputs ?? 0,
      throughputPerS: m?.throughputPerS ?? null,
      lag: lagOf(m?.lag),
    };
  });
  const recoveries = new Map((result.metrics?.recoveries ?? []).map((r) => [r.faultId, r]));
  const faults: ReportFault[] = data.faults.map((f) => ({
    id: f.faultId,
    type: f.type,
    target: f.target,
    attrs: f.attrs ?? null,
    offsetMs: offset(f.startUs),
    healOffsetMs: f.healUs === null ? null : offset(f.healUs),
    durationMs: f.healUs === null ? null : Math.round((f.healUs - f.startUs) / 1000),
    error: f.error,
    recoveryMs: recoveries.get(f.faultId)?.recoveryMs ?? null,
    recoveryNote: recoveries.get(f.faultId)?.note ?? null,
  }));
  const ends = data.phases.map((p) => p.endUs ?? p.startUs);
  const seed = Number.isFinite(result.seed) ? result.seed : null;
  const durationMs = origin === null || ends.length === 0 ? null : Math.round((Math.max(...ends) - origin) / 1000);
  const overall = result.metrics?.overall;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: data.comparison ? 'comparison' : 'run',
    generatedAt: now.toISOString(),
    runDir: data.runDir,
    scenario: { name: result.scenario, description: data.scenario?.description ?? null },
    seed,
    replay: result.replay,
    verdict: result.verdict,
    environment: environment(data),
    startedAt: origin === null ? null : new Date(origin / 1000).toISOString(),
    durationMs,
    latencySource: result.metrics?.latencySource ?? null,
    overall: {
      latency: latencyOf(overall?.latency),
      outputs: overall?.outputs ?? 0,
      throughputPerS: overall && durationMs ? overall.outputs / (durationMs / 1000) : null,
      lag: lagOf(overall?.lag),
    },
    phases,
    faults,
    checks: result.checks.map((c) => ({
      checker: c.checker, valid: c.valid, summary: c.summary, counts: c.counts, examples: c.examples,
      ...(c.error ? { error: c.error } : {}),
      ...(typeof c.skipped === 'string' ? { skipped: c.skipped } : {}),
    })),
    slas: result.slas.map(reportSla),
    notes: result.notes,
    ...(attemptsOf(data) ? { attempts: attemptsOf(data) } : {}),
    ...(hostCpuOf(data) ? { hostCpu: hostCpuOf(data) } : {}),
    ...(data.comparison ? { comparison: data.comparison } : {}),
  };
}
