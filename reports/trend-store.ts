/**
 * The trend database (`<runs>/trend.duckdb`): one row of headline figures per run, so a
 * regression between releases shows up across runs. Appending a run again replaces its row.
 * Two runs finishing at once may meet DuckDB's file lock: the open is retried briefly.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HarnessError } from '../harness/errors.ts';
import { queryRows } from '../harness/history/result-rows.ts';
import type { ReportDocument } from './report-document.ts';
import { FAILOVER_CHECK } from '../harness/drill/drill-meta.ts';
import { kneeStep, type CapacityResult } from '../harness/capacity/capacity-result.ts';

export const TREND_FILE = 'trend.duckdb';
export const TREND_SCHEMA_VERSION = 1;

export interface TrendRow {
  runDir: string;
  scenario: string;
  startedAt: string | null;
  recordedAt: string;
  seed: number | null;
  verdict: string;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  throughputPerS: number | null;
  /** Longest recovery over healed faults; null without faults or when one never recovered. */
  recoveryMs: number | null;
  neverRecovered: number;
  lost: number | null;
  duplicates: number | null;
  /** Failover drills (the failover check): records and time lost with the primary, time to the first DR output. */
  rpoRecords: number | null;
  rpoTimeMs: number | null;
  rtoMs: number | null;
  /** A capacity search (`streamproof capacity`): the highest rate that held, events/s. */
  capacityEps: number | null;
  checksFailed: number;
  slasFailed: number;
  streamproofVersion: string | null;
  kafkaVersion: string | null;
  sut: string | null;
}

const COLUMNS: [keyof TrendRow, string, string][] = [
  ['runDir', 'run_dir', 'VARCHAR PRIMARY KEY'],
  ['scenario', 'scenario', 'VARCHAR NOT NULL'],
  ['startedAt', 'started_at', 'VARCHAR'],
  ['recordedAt', 'recorded_at', 'VARCHAR NOT NULL'],
  ['seed', 'seed', 'BIGINT'],
  ['verdict', 'verdict', 'VARCHAR NOT NULL'],
  ['p50Ms', 'p50_ms', 'DOUBLE'],
  ['p95Ms', 'p95_ms', 'DOUBLE'],
  ['p99Ms', 'p99_ms', 'DOUBLE'],
  ['throughputPerS', 'throughput_per_s', 'DOUBLE'],
  ['recoveryMs', 'recovery_ms', 'DOUBLE'],
  ['neverRecovered', 'never_recovered', 'INTEGER NOT NULL'],
  ['lost', 'lost', 'BIGINT'],
  ['duplicates', 'duplicates', 'BIGINT'],
  ['rpoRecords', 'rpo_records', 'BIGINT'],
  ['rpoTimeMs', 'rpo_time_ms', 'DOUBLE'],
  ['rtoMs', 'rto_ms', 'DOUBLE'],
  ['capacityEps', 'capacity_eps', 'DOUBLE'],
  ['checksFailed', 'checks_failed', 'INTEGER NOT NULL'],
  ['slasFailed', 'slas_failed', 'INTEGER NOT NULL'],
  ['streamproofVersion', 'streamproof_version', 'VARCHAR'],
  ['kafkaVersion', 'kafka_version', 'VARCHAR'],
  ['sut', 'sut', 'VARCHAR'],
];

/** A count from the SLA of that metric, else from the checker's counts. */
function countOf(doc: ReportDocument, metric: 'lost' | 'duplicates', checker: string, key: string): number | null {
  const sla = doc.slas.find((s) => s.metric === metric && s.measured !== null);
  if (sla) return sla.measured;
  const value = doc.checks.find((c) => c.checker === checker)?.counts[key];
  return typeof value === 'number' ? value : null;
}

function drillFigure(doc: ReportDocument, key: string): number | null {
  const value = doc.checks.find((c) => c.checker === FAILOVER_CHECK)?.counts[key];
  return typeof value === 'number' ? value : null;
}

export function trendRow(doc: ReportDocument, recordedAt = new Date()): TrendRow {
  // A fault healed after the load ended has no measurable recovery (its note says `unknown:`): neither a time nor "never".
  const healed = doc.faults.filter((f) => f.healOffsetMs !== null && !(f.recoveryNote ?? '').startsWith('unknown:'));
  const never = healed.filter((f) => f.recoveryMs === null).length;
  const latency = doc.overall.latency;
  return {
    runDir: doc.runDir,
    scenario: doc.scenario.name,
    startedAt: doc.startedAt,
    recordedAt: recordedAt.toISOString(),
    seed: doc.seed,
    verdict: doc.verdict,
    p50Ms: latency?.p50Ms ?? null,
    p95Ms: latency?.p95Ms ?? null,
    p99Ms: latency?.p99Ms ?? null,
    throughputPerS: doc.overall.throughputPerS,
    recoveryMs: healed.length > 0 && never === 0 ? Math.max(...healed.map((f) => f.recoveryMs!)) : null,
    neverRecovered: never,
    lost: countOf(doc, 'lost', 'lost', 'lost'),
    duplicates: countOf(doc, 'duplicates', 'duplicates', 'duplicatedEvents'),
    rpoRecords: drillFigure(doc, 'rpo_records'),
    rpoTimeMs: drillFigure(doc, 'rpo_time'),
    rtoMs: drillFigure(doc, 'rto'),
    capacityEps: null,
    checksFailed: doc.checks.filter((c) => c.valid === false).length,
    slasFailed: doc.slas.filter((s) => s.passed === false).length,
    streamproofVersion: doc.environment.streamproof,
    kafkaVersion: doc.environment.kafka,
    sut: doc.environment.sut?.name ?? null,
  };
}

/**
 * A capacity search's row: scenario `<base>-capacity:<sut>`, `@<bootstrap>` added on the user's
 * cluster (one series per base, SUT and cluster: an at-least-once knee is no regression of the
 * exactly-once one, nor a staging cluster's of a lab's), the knee and the knee step's
 * latency and throughput; a search that found no knee is `unknown` (or `fail` when nothing held
 * at all). Failed steps are how a search finds its knee, not failed SLAs: those stay 0.
 */
export function capacityTrendRow(r: CapacityResult, recordedAt = new Date()): TrendRow {
  const knee = kneeStep(r);
  const startedAt = new Date(recordedAt.getTime() - r.wallMs).toISOString();
  return {
    runDir: r.dir, scenario: `${r.base}-capacity:${r.sut}${r.cluster ? `@${r.cluster}` : ''}`, startedAt, recordedAt: recordedAt.toISOString(), seed: r.seed,
    verdict: r.kneeEps !== null ? 'pass' : r.stop === 'nothing-passed' ? 'fail' : 'unknown',
    p50Ms: knee?.measure.p50Ms ?? null, p95Ms: null, p99Ms: knee?.measure.p99Ms ?? null,
    throughputPerS: knee ? (knee.measure.recordsPerS ?? knee.measure.consumedPerS) : null,
    recoveryMs: null, neverRecovered: 0, lost: knee?.lost ?? null, duplicates: knee?.duplicates ?? null,
    rpoRecords: null, rpoTimeMs: null, rtoMs: null, capacityEps: r.kneeEps,
    checksFailed: 0, slasFailed: 0,
    streamproofVersion: null, kafkaVersion: null, sut: r.sut,
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function withTrendDb<T>(runsDir: string, use: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  mkdirSync(runsDir, { recursive: true });
  const path = join(resolve(runsDir), TREND_FILE);
  let instance: DuckDBInstance | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      instance = await DuckDBInstance.create(path);
      break;
    } catch (error) {
      const locked = error instanceof Error && /lock/i.test(error.message);
      if (!locked || attempt >= 20) throw new HarnessError('HISTORY_FAILED', `cannot open the trend database ${path}: ${(error as Error).message}`, { cause: error, retriable: locked });
      await sleep(250);
    }
  }
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE IF NOT EXISTS trend_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`);
    await connection.run(`INSERT OR REPLACE INTO trend_meta VALUES ('schema_version', '${TREND_SCHEMA_VERSION}')`);
    await connection.run(`CREATE TABLE IF NOT EXISTS trend_runs (${COLUMNS.map(([, c, t]) => `${c} ${t}`).join(', ')})`);
    // A trend file from before a column existed gets it (empty for its old rows).
    for (const [, c, t] of COLUMNS) if (!/PRIMARY KEY|NOT NULL/.test(t)) await connection.run(`ALTER TABLE trend_runs ADD COLUMN IF NOT EXISTS ${c} ${t}`);
    return await use(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function appendTrendRow(runsDir: string, row: TrendRow): Promise<void> {
  await withTrendDb(runsDir, async (c) => {
    const values = COLUMNS.map(([key]) => row[key]);
    await c.run(`INSERT OR REPLACE INTO trend_runs (${COLUMNS.map(([, col]) => col).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`, values);
  });
}

/** Runs in time order (started, else recorded), optionally of one scenario. */
export async function readTrend(runsDir: string, scenario?: string): Promise<TrendRow[]> {
  return withTrendDb(runsDir, (c) => queryRows<TrendRow>(c,
    `SELECT ${COLUMNS.map(([key, col]) => `${col} AS "${key}"`).join(', ')} FROM trend_runs
     ${scenario === undefined ? '' : 'WHERE scenario = ?'} ORDER BY scenario, coalesce(started_at, recorded_at), run_dir`,
    scenario === undefined ? undefined : [scenario]));
}
