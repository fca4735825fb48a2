/**
 * Time series for the charts, read from the history: per bucket (seconds from the run's
 * start) the outputs and sends, end-to-end latency percentiles of the outputs that became
 * visible in the bucket, and consumer lag. Same latency definition as the metrics
 * (harness/checkers/metrics.ts): visible time − the send's invoke time.
 */
import { EVENT_ID, SEND_TS, sqlStrings } from '../harness/checkers/history-sql.ts';
import type { HistoryReader } from '../harness/history/history-reader.ts';

export interface ThroughputPoint { t: number; outputs: number; sends: number }
export interface LatencyPoint { t: number; p50: number; p95: number; p99: number; n: number }
export interface LagPoint { t: number; lag: number }

export interface TimeSeries {
  /** Epoch µs all `t` are counted from (seconds). */
  originUs: number;
  bucketMs: number;
  throughput: ThroughputPoint[];
  latency: LatencyPoint[];
  lag: LagPoint[];
}

const LAG_METRICS = ['lag', 'consumer.lag', 'consumer_lag'];
/** Enough points for a readable line; longer runs get wider buckets. */
const MAX_BUCKETS = 600;

/** Bucket width: 1 s, widened to whole seconds so a run has at most MAX_BUCKETS buckets. */
export function bucketWidthMs(spanUs: number): number {
  return Math.max(1, Math.ceil(spanUs / 1000 / MAX_BUCKETS / 1000)) * 1000;
}

/** The run's origin: first phase start, else the first send (null for an empty history). */
export async function runOriginUs(history: HistoryReader): Promise<{ originUs: number; endUs: number } | null> {
  const [row] = await history.query<{ o: number | null; e: number | null }>(`
    SELECT coalesce((SELECT min(start_us) FROM phases), (SELECT min(invoke_us) FROM sends), (SELECT min(observed_us) FROM observed)) AS o,
      greatest((SELECT max(coalesce(end_us, start_us)) FROM phases), (SELECT max(observed_us) FROM observed WHERE role LIKE 'output%'), (SELECT max(invoke_us) FROM sends)) AS e`);
  return row?.o == null ? null : { originUs: row.o, endUs: row.e ?? row.o };
}

export async function readTimeSeries(history: HistoryReader): Promise<TimeSeries> {
  const span = await runOriginUs(history);
  if (!span) return { originUs: 0, bucketMs: 1000, throughput: [], latency: [], lag: [] };
  const { originUs } = span;
  const bucketMs = bucketWidthMs(span.endUs - originUs);
  const bucketUs = bucketMs * 1000;
  const [have] = (await history.query<{ live: number }>(`SELECT count(*) AS live FROM observed WHERE role = 'records-live'`)) as [{ live: number }];
  const role = have.live > 0 ? 'records-live' : 'records';
  const outUs = have.live > 0 ? 'observed_us' : 'kts * 1000';
  const bucket = (col: string) => `CAST(floor((${col} - ${originUs}) / ${bucketUs}) AS BIGINT)`;

  const outputs = await history.query<{ b: number; n: number; q: number[] | null }>(`
    WITH recs AS (
      SELECT min(observed_us) AS observed_us, min(kafka_ts_ms) AS kts, any_value(hdr_event_id) AS hdr_event_id, any_value(hdr_send_us) AS hdr_send_us, any_value(value) AS value
      FROM observed WHERE role = '${role}' GROUP BY topic, partition, "offset"),
    first_send AS (SELECT event_id, min(invoke_us) AS invoke_us FROM sends GROUP BY event_id),
    s AS (
      SELECT r.out_us, (r.out_us - coalesce(r.send_ts, f.invoke_us)) / 1000.0 AS lat_ms
      FROM (SELECT ${outUs} AS out_us, ${SEND_TS} AS send_ts, ${EVENT_ID} AS event_id FROM recs) r
      LEFT JOIN first_send f USING (event_id) WHERE r.out_us IS NOT NULL)
    SELECT ${bucket('out_us')} AS b, count(*) AS n, quantile_cont(lat_ms, [0.5, 0.95, 0.99]) AS q
    FROM s GROUP BY b ORDER BY b`);
  const sends = await history.query<{ b: number; n: number }>(
    `SELECT ${bucket('invoke_us')} AS b, count(*) AS n FROM sends GROUP BY b ORDER BY b`);
  const lag = await history.query<{ b: number; v: number }>(`
    WITH l AS (SELECT ts_us, sum(value) AS v FROM metrics WHERE name IN (${sqlStrings(LAG_METRICS)}) GROUP BY ts_us)
    SELECT ${bucket('ts_us')} AS b, max(v) AS v FROM l GROUP BY b ORDER BY b`);

  const t = (b: number) => (b * bucketMs) / 1000;
  const perSecond = 1000 / bucketMs;
  const outputsBy = new Map(outputs.map((o) => [o.b, o.n]));
  const sendsBy = new Map(sends.map((s) => [s.b, s.n]));
  const buckets = [...new Set([...outputsBy.keys(), ...sendsBy.keys()])].sort((a, b) => a - b);
  const first = buckets[0] ?? 0;
  const last = buckets.at(-1) ?? -1;
  const throughput: ThroughputPoint[] = [];
  // Every bucket between the first and the last, so a stall shows as zeros rather than a gap.
  for (let b = first; b <= last; b++) {
    throughput.push({ t: t(b), outputs: (outputsBy.get(b) ?? 0) * perSecond, sends: (sendsBy.get(b) ?? 0) * perSecond });
  }
  return {
    originUs,
    bucketMs,
    throughput,
    latency: outputs.filter((o) => o.q !== null && o.q[0] !== null).map((o) => ({ t: t(o.b), p50: o.q![0]!, p95: o.q![1]!, p99: o.q![2]!, n: o.n })),
    lag: lag.map((l) => ({ t: t(l.b), lag: l.v })),
  };
}
