/**
 * metrics: the numbers SLAs are judged on (elsewhere), per phase: end-to-end latency
 * percentiles, output throughput, consumer lag; recovery time after each healed fault; time to
 * drain. Not a checker: it returns a typed report with sample sizes, and judges nothing.
 *
 * Latency of an output record = the time it became visible − the send's invoke time (its
 * `sp-send-ts` header, else the earliest send of its event id). "Visible" is when the runner's
 * live read_committed consumer saw it (role records-live); without live data, the record's
 * Kafka timestamp (when the SUT produced it, before its commit) stands in, and
 * `latencySource` says so. A SUT with no records output but a `final` windowed aggregate is
 * measured by freshness instead (`aggregate-freshness`: from when a window could first close to
 * when its row was seen live). Samples belong to the phase their send (or closing moment)
 * started in; outputs count toward the phase they became visible in.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { declaredAggregates, type SutConfig } from '../sut/sut-config.ts';
import { emittedRowsSql } from './aggregate-sql.ts';
import { readCheckerParams } from './checker-params.ts';
import { SEND_TS, sqlStrings } from './history-sql.ts';
import { eventIdFor } from './declared-sut.ts';
import { DR_OFFSET_BASE, hasSecondCopy } from '../drill/drill-meta.ts';
import { consumedPosition, consumptionIn, outputsByPhase, type ConsumptionSource, type OutputCount } from './consumption.ts';
import { requestedSutMetrics, sutMetricStats, type SutMetricsReport } from './sut-metrics.ts';

export interface MetricsOptions {
  /** Recovery: a bucket's p99 latency must be at or below this (ms). Default 5000. */
  recoveryLatencyMs?: number;
  /** Recovery: total consumer lag must be at or below this (records). Default: lag not considered. */
  recoveryLag?: number;
  /** Bucket width for the rolling p99 (ms). Default 1000. */
  bucketMs?: number;
  /** Consecutive good buckets that count as recovered (one good bucket between bad ones is not recovery). Default 3. */
  stableBuckets?: number;
  /** Metric names of consumer lag samples (summed per timestamp). Default ['lag', 'consumer.lag', 'consumer_lag']. */
  lagMetrics?: string[];
  /** SUT metrics to summarise (`sut.<name>`); default those the scenario in run_meta names in its SLAs. */
  sutMetrics?: string[];
}

export interface LatencySummary { samples: number; meanMs: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number }
export interface LagSummary { samples: number; max: number; last: number }

export interface PhaseMetrics {
  name: string;
  startUs: number;
  endUs: number | null;
  latency: LatencySummary | null;
  /** Output records that became visible during the phase. */
  outputs: number;
  throughputPerS: number | null;
  lag: LagSummary | null;
  /** Input records the SUT consumed during the phase, and per second (`consumptionSource`; null: not measurable). */
  consumed: number | null;
  consumedPerS: number | null;
  /** Records that became visible on each output (topic, declared role) during the phase. */
  outputsBy: OutputCount[];
}

export interface FaultRecovery {
  faultId: string;
  type: string;
  target: string;
  healUs: number | null;
  /** From heal to the end of the first of `stableBuckets` good buckets; null if never (or never healed, or not measurable). */
  recoveryMs: number | null;
  /** False when there was nothing to measure recovery against (no send after the heal): recovery is unknown, not failed. */
  measurable: boolean;
  note: string;
}

export type LatencySource = 'records-live' | 'kafka-timestamp' | 'aggregate-freshness' | 'none';

export interface MetricsReport {
  latencySource: LatencySource;
  /** Where `consumed` comes from (see consumption.ts). */
  consumptionSource: ConsumptionSource;
  /** The SUT's own metrics the scenario's SLAs name (`sut.<name>` → scope → stats; sut-metrics.ts). */
  sut: SutMetricsReport;
  overall: Omit<PhaseMetrics, 'name' | 'startUs' | 'endUs'>;
  phases: PhaseMetrics[];
  recoveries: FaultRecovery[];
  drain: { lastLoadEndUs: number | null; lastOutputUs: number | null; drainMs: number | null };
  /** The options used, defaults filled in (recoveryLag null: lag not considered). */
  options: Required<Omit<MetricsOptions, 'recoveryLag' | 'sutMetrics'>> & { recoveryLag: number | null };
}

/**
 * Freshness of a `final` windowed aggregate, for a SUT with no records output: from the moment
 * its window could first close (the first send whose event time reached the window end + grace:
 * no watermark model can close it earlier) to the moment its row was first seen live. A sample
 * belongs to the phase that moment falls in, as a send's latency does.
 */
function freshnessSql(declared: SutConfig): string | undefined {
  const found = declaredAggregates(declared).find((a) => a.spec.window && a.spec.emission === 'final' && !a.source.startsWith('sink:'));
  if (!found) return undefined;
  const grace = found.spec.window!.graceMs;
  return `
emitted_live AS (SELECT * FROM (${emittedRowsSql(found.spec, found.source, 'aggregate-live')})),
live AS (SELECT k, any_value(wend) AS wend, min(observed_us) AS out_us FROM emitted_live WHERE wend IS NOT NULL GROUP BY k),
closeable AS (
  SELECT invoke_us, max(event_time_ms) OVER (ORDER BY invoke_us ROWS UNBOUNDED PRECEDING) AS mx FROM sends
  WHERE truth <> 'poison' AND event_time_ms IS NOT NULL),
samples AS (
  SELECT l.out_us, c.invoke_us AS send_us, (l.out_us - c.invoke_us) / 1000.0 AS lat_ms
  FROM live l ASOF JOIN closeable c ON l.wend + ${grace} <= c.mx)`;
}

/**
 * Latency samples. With a drill's second copy of the output (`secondCopy`: a DR site, a rebuild;
 * drill-meta.ts) an event output in the first copy is timed there only: its second output is a
 * re-read or a rebuild, not the event's latency.
 */
/** `id`: the event id expression for the output rows (eventIdFor: the typed column when every row has it). */
function samplesSql(source: LatencySource, declared: SutConfig | undefined, secondCopy: boolean, id: string): string {
  if (source === 'aggregate-freshness') return freshnessSql(declared!)!;
  const role = source === 'records-live' ? 'records-live' : 'records';
  const outUs = source === 'records-live' ? 'observed_us' : 'kts * 1000';
  return `
recs0 AS (
  SELECT topic, partition, "offset", min(observed_us) AS observed_us, min(kafka_ts_ms) AS kts,
    any_value(${id}) AS event_id, any_value(${SEND_TS}) AS send_ts
  FROM observed WHERE role = '${role}' GROUP BY topic, partition, "offset"),
recs AS (SELECT * FROM recs0 ${secondCopy ? `WHERE "offset" < ${DR_OFFSET_BASE} OR event_id IS NULL
  OR event_id NOT IN (SELECT event_id FROM recs0 WHERE "offset" < ${DR_OFFSET_BASE} AND event_id IS NOT NULL)` : ''}),
first_send AS (SELECT event_id, min(invoke_us) AS invoke_us FROM sends GROUP BY event_id),
samples AS (
  SELECT r.out_us, coalesce(r.send_ts, f.invoke_us) AS send_us, (r.out_us - coalesce(r.send_ts, f.invoke_us)) / 1000.0 AS lat_ms
  FROM (SELECT ${outUs} AS out_us, send_ts, event_id FROM recs) r
  LEFT JOIN first_send f USING (event_id) WHERE r.out_us IS NOT NULL)`;
}

/** The latency samples computeMetrics materialized (out_us, send_us, lat_ms). */
const SAMPLES = 'samples AS (SELECT * FROM latency_samples)';

interface StatsRow {
  phase: number;
  samples: number;
  q: number[] | null;
  max_ms: number | null;
  mean_ms: number | null;
  outputs: number;
  lag_samples: number;
  lag_max: number | null;
  lag_last: number | null;
}

const latency = (r: StatsRow): LatencySummary | null =>
  r.samples > 0 && r.q ? { samples: r.samples, meanMs: r.mean_ms!, p50Ms: r.q[0]!, p95Ms: r.q[1]!, p99Ms: r.q[2]!, maxMs: r.max_ms! } : null;
const lagOf = (r: StatsRow): LagSummary | null => (r.lag_samples > 0 ? { samples: r.lag_samples, max: r.lag_max!, last: r.lag_last! } : null);

export async function computeMetrics(history: HistoryReader, options: MetricsOptions = {}): Promise<MetricsReport> {
  const opts = {
    recoveryLatencyMs: options.recoveryLatencyMs ?? 5_000,
    recoveryLag: options.recoveryLag ?? null,
    bucketMs: options.bucketMs ?? 1_000,
    stableBuckets: options.stableBuckets ?? 3,
    lagMetrics: options.lagMetrics ?? ['lag', 'consumer.lag', 'consumer_lag'],
  };
  const [have] = (await history.query<{ live: number; kts: number }>(
    `SELECT count(*) FILTER (WHERE role = 'records-live') AS live, count(*) FILTER (WHERE role = 'records' AND kafka_ts_ms IS NOT NULL) AS kts FROM observed`,
  )) as [{ live: number; kts: number }];
  const declared = (await readCheckerParams(history)).declared;
  const secondCopy = await hasSecondCopy(history);
  const fresh = declared && freshnessSql(declared) !== undefined && !declared.topics.outputs.some((o) => o.role === 'records');
  const source: LatencySource = have.live > 0 ? 'records-live' : have.kts > 0 ? 'kafka-timestamp' : fresh ? 'aggregate-freshness' : 'none';
  const phases = await history.phases();
  const lagNames = opts.lagMetrics.length > 0 ? sqlStrings(opts.lagMetrics) : 'NULL';

  // The samples are read by every phase's figures and the recoveries: computed once.
  await history.query(`CREATE OR REPLACE TEMP TABLE latency_samples AS WITH ${samplesSql(source, declared, secondCopy, await eventIdFor(history, [], `role IN ('records', 'records-live')`))} SELECT out_us, send_us, lat_ms FROM samples`);
  // Phase -1 is the whole run. A phase that has not ended runs to the last output.
  const stats = await history.query<StatsRow>(`
    WITH ${SAMPLES},
    lag AS (SELECT ts_us, sum(value) AS v FROM metrics WHERE name IN (${lagNames}) GROUP BY ts_us),
    last_out AS (SELECT coalesce(max(out_us), 0) AS t FROM samples),
    ph AS (
      SELECT -1 AS phase, -9223372036854775807 AS s, 9223372036854775807 AS e
      UNION ALL SELECT (row_number() OVER (ORDER BY start_us, name) - 1)::INT, start_us, coalesce(end_us, (SELECT t + 1 FROM last_out)) FROM phases)
    SELECT ph.phase,
      (SELECT count(lat_ms) FROM samples WHERE send_us >= ph.s AND send_us < ph.e) AS samples,
      (SELECT quantile_disc(lat_ms, [0.5, 0.95, 0.99]) FROM samples WHERE send_us >= ph.s AND send_us < ph.e AND lat_ms IS NOT NULL) AS q,
      (SELECT max(lat_ms) FROM samples WHERE send_us >= ph.s AND send_us < ph.e) AS max_ms,
      (SELECT avg(lat_ms) FROM samples WHERE send_us >= ph.s AND send_us < ph.e) AS mean_ms,
      (SELECT count(*) FROM samples WHERE out_us >= ph.s AND out_us < ph.e) AS outputs,
      (SELECT count(*) FROM lag WHERE ts_us >= ph.s AND ts_us < ph.e) AS lag_samples,
      (SELECT max(v) FROM lag WHERE ts_us >= ph.s AND ts_us < ph.e) AS lag_max,
      (SELECT arg_max(v, ts_us) FROM lag WHERE ts_us >= ph.s AND ts_us < ph.e) AS lag_last
    FROM ph ORDER BY ph.phase`);
  const [last] = (await history.query<{ t: number | null }>(`WITH ${SAMPLES} SELECT max(out_us) AS t FROM samples`)) as [{ t: number | null }];
  const lastOutputUs = last.t;

  const byPhase = new Map(stats.map((r) => [r.phase, r]));
  const position = await consumedPosition(history, opts.lagMetrics);
  const outputsBy = await outputsByPhase(history, phases);
  const sut = await sutMetricStats(history, options.sutMetrics ?? requestedSutMetrics((await history.meta()).scenario), phases);
  const phaseMetrics: PhaseMetrics[] = phases.map((p, i) => {
    const r = byPhase.get(i)!;
    const endUs = p.endUs ?? (lastOutputUs !== null && lastOutputUs >= p.startUs ? lastOutputUs + 1 : null);
    const seconds = endUs === null ? null : (endUs - p.startUs) / 1e6;
    return {
      name: p.name, startUs: p.startUs, endUs: p.endUs, latency: latency(r), outputs: r.outputs,
      throughputPerS: seconds && seconds > 0 ? r.outputs / seconds : null, lag: lagOf(r),
      ...consumptionIn(position.points, p.startUs, p.endUs), outputsBy: outputsBy[i] ?? [],
    };
  });
  const all = byPhase.get(-1)!;
  const loadEnds = phases.filter((p) => p.name !== 'drain' && p.endUs !== null).map((p) => p.endUs!);
  const lastLoadEndUs = loadEnds.length > 0 ? Math.max(...loadEnds) : null;
  return {
    latencySource: source,
    consumptionSource: position.source,
    sut,
    overall: { latency: latency(all), outputs: all.outputs, throughputPerS: null, lag: lagOf(all), ...consumptionIn(position.points, Number.MIN_SAFE_INTEGER, null), outputsBy: [] },
    phases: phaseMetrics,
    recoveries: await recoveries(history, opts, lagNames),
    drain: {
      lastLoadEndUs,
      lastOutputUs,
      drainMs: lastLoadEndUs !== null && lastOutputUs !== null ? Math.max(0, lastOutputUs - lastLoadEndUs) / 1000 : null,
    },
    options: opts,
  };
}

/** After each healed fault: when latency (the samples computeMetrics materialized) and lag came back. */
async function recoveries(
  history: HistoryReader,
  opts: { recoveryLatencyMs: number; recoveryLag: number | null; bucketMs: number; stableBuckets: number },
  lagNames: string,
): Promise<FaultRecovery[]> {
  const faults = await history.faults();
  if (faults.length === 0) return [];
  const bucketUs = opts.bucketMs * 1000;
  const buckets = await history.query<{ fault_id: string; b: number; n: number; p99: number }>(`
    WITH ${SAMPLES}
    SELECT f.fault_id, CAST(floor((s.out_us - f.heal_us) / ${bucketUs}) AS BIGINT) AS b, count(*) AS n, quantile_disc(s.lat_ms, 0.99) AS p99
    FROM faults f JOIN samples s ON s.out_us >= f.heal_us AND s.lat_ms IS NOT NULL
    WHERE f.heal_us IS NOT NULL GROUP BY ALL ORDER BY f.fault_id, b`);
  const lag = opts.recoveryLag === null ? [] : await history.query<{ ts_us: number; v: number }>(
    `SELECT ts_us, sum(value) AS v FROM metrics WHERE name IN (${lagNames}) GROUP BY ts_us ORDER BY ts_us`);
  const [lastSend] = (await history.query<{ t: number | bigint | null }>('SELECT max(invoke_us) AS t FROM sends')) as [{ t: number | bigint | null }];
  const lastSendUs = lastSend.t === null ? null : Number(lastSend.t);
  const lagAt = (us: number): number | null => {
    let value: number | null = null;
    for (const s of lag) { if (s.ts_us > us) break; value = s.v; }
    return value;
  };
  return faults.map((f) => {
    const base = { faultId: f.faultId, type: f.type, target: f.target, healUs: f.healUs, measurable: true };
    if (f.healUs === null) return { ...base, recoveryMs: null, note: 'never healed' };
    if (lastSendUs === null || lastSendUs <= f.healUs) {
      const when = lastSendUs === null ? 'nothing was sent' : `the last send was ${((f.healUs - lastSendUs) / 1e6).toFixed(1)} s before the heal`;
      return { ...base, measurable: false, recoveryMs: null, note: `unknown: healed after the load ended (${when}), no traffic to measure recovery against` };
    }
    const mine = new Map(buckets.filter((b) => b.fault_id === f.faultId).map((b) => [b.b, b]));
    const lastBucket = Math.max(-1, ...mine.keys());
    let run = 0;
    for (let b = 0; b <= lastBucket; b++) {
      const bucket = mine.get(b);
      const endUs = f.healUs + (b + 1) * bucketUs;
      const lagNow = opts.recoveryLag === null || lag.length === 0 ? null : lagAt(endUs);
      const good = bucket !== undefined && bucket.p99 <= opts.recoveryLatencyMs && (lagNow === null || lagNow <= opts.recoveryLag!);
      run = good ? run + 1 : 0;
      if (run === opts.stableBuckets) {
        const first = b - opts.stableBuckets + 1;
        const lagNote = opts.recoveryLag === null ? '' : lag.length === 0 ? ', no lag samples' : `, lag <= ${opts.recoveryLag}`;
        return { ...base, recoveryMs: (first + 1) * opts.bucketMs, note: `p99 <= ${opts.recoveryLatencyMs} ms${lagNote}` };
      }
    }
    return { ...base, recoveryMs: null, note: lastBucket < 0 ? 'no output after the heal' : 'not back within the thresholds by the last output' };
  });
}
