/**
 * How fast the SUT consumed its input, per phase, from what the history truly holds. Acked sends
 * per second are what the workload *offered*, not what the SUT consumed; consumption is read
 * from the consumer group's position:
 *
 * - `committed-offsets`: samples of metric `input.committed` (the group's committed offsets,
 *   summed over the input partitions, recorded with each lag sample): consumed = its growth.
 * - `lag`: older histories with only `lag` samples: the position is the input's end offset
 *   (every send acknowledged so far: ok sends by `complete_us`) minus the lag, so
 *   consumed = end offset growth − lag growth.
 * - `none`: no sample of either (a SUT that commits no offsets, e.g. Spark): not measurable.
 *
 * A phase's figure runs from the last sample at or before its start (else its first sample) to
 * its last sample at or before its end; fewer than two samples give null.
 */
import type { HistoryReader } from '../history/history-reader.ts';

export type ConsumptionSource = 'committed-offsets' | 'lag' | 'none';

export interface PhaseConsumption {
  /** Input records consumed between the two samples (null: not measurable). */
  consumed: number | null;
  /** Per second between the two samples. */
  consumedPerS: number | null;
}

/** Metric the lag sampler records beside `lag`: committed offsets summed over the input partitions. */
export const COMMITTED_METRIC = 'input.committed';

interface Point { ts: number; v: number }

/** The consumed-position series of a history, and where it came from. */
export async function consumedPosition(history: HistoryReader, lagNames: readonly string[] = ['lag']): Promise<{ source: ConsumptionSource; points: Point[] }> {
  const committed = await history.query<{ ts: number | bigint; v: number }>(
    `SELECT ts_us AS ts, sum(value) AS v FROM metrics WHERE name = ? GROUP BY ts_us ORDER BY ts_us`, [COMMITTED_METRIC]);
  if (committed.length > 0) return { source: 'committed-offsets', points: committed.map((r) => ({ ts: Number(r.ts), v: Number(r.v) })) };
  if (lagNames.length === 0) return { source: 'none', points: [] };
  const placeholders = lagNames.map(() => '?').join(', ');
  const lag = await history.query<{ ts: number | bigint; v: number; acked: number | bigint }>(
    `WITH lag AS (SELECT ts_us, sum(value) AS v FROM metrics WHERE name IN (${placeholders}) GROUP BY ts_us)
     SELECT ts_us AS ts, v, (SELECT count(*) FROM sends WHERE outcome = 'ok' AND complete_us <= lag.ts_us) AS acked FROM lag ORDER BY ts_us`,
    [...lagNames]);
  if (lag.length === 0) return { source: 'none', points: [] };
  return { source: 'lag', points: lag.map((r) => ({ ts: Number(r.ts), v: Number(r.acked) - Number(r.v) })) };
}

/** Consumption between `startUs` and `endUs` (null end: up to the last sample). */
export function consumptionIn(points: readonly Point[], startUs: number, endUs: number | null): PhaseConsumption {
  const end = endUs ?? Number.POSITIVE_INFINITY;
  let base: Point | undefined;
  let last: Point | undefined;
  for (const p of points) {
    if (p.ts <= startUs) base = p;
    else if (p.ts <= end) {
      base ??= p;
      last = p;
    }
  }
  if (!base || !last || last.ts <= base.ts) return { consumed: null, consumedPerS: null };
  const consumed = Math.max(0, last.v - base.v);
  return { consumed, consumedPerS: consumed / ((last.ts - base.ts) / 1e6) };
}

/** Records that became visible on one output during a phase. */
export interface OutputCount {
  topic: string;
  /** The output's declared role (`records`, `aggregate`, `dlq`, ...). */
  role: string;
  records: number;
}

/**
 * Per phase (in `phases` order), the distinct records that became visible on each output: when
 * the live consumer saw them (roles `<role>-live`), else, without live data, by their Kafka
 * timestamp in the final scan. The input topics (role `input`) are not outputs.
 */
export async function outputsByPhase(history: HistoryReader, phases: readonly { startUs: number; endUs: number | null }[]): Promise<OutputCount[][]> {
  if (phases.length === 0) return [];
  const [have] = (await history.query<{ live: number | bigint }>(`SELECT count(*) AS live FROM observed WHERE role LIKE '%-live'`)) as [{ live: number | bigint }];
  const live = Number(have.live) > 0;
  const records = live
    ? `SELECT topic, regexp_replace(role, '-live$', '') AS role, min(observed_us) AS at FROM observed WHERE role LIKE '%-live' GROUP BY topic, role, partition, "offset"`
    : `SELECT topic, role, min(kafka_ts_ms) * 1000 AS at FROM observed WHERE role <> 'input' AND kafka_ts_ms IS NOT NULL GROUP BY topic, role, partition, "offset"`;
  // Counted in SQL: a million records read into JavaScript to be counted had cost ~2 s.
  const bounds = phases.map((p, i) => `(${i}, ${Math.trunc(p.startUs)}::BIGINT, ${p.endUs === null ? 'NULL' : Math.trunc(p.endUs)}::BIGINT)`).join(', ');
  const rows = await history.query<{ phase: number; topic: string; role: string; records: number }>(`
    WITH r AS (${records}), p AS (SELECT * FROM (VALUES ${bounds}) t(phase, start_us, end_us))
    SELECT p.phase, r.topic, r.role, count(*)::INTEGER AS records FROM r JOIN p ON r.at >= p.start_us AND (p.end_us IS NULL OR r.at < p.end_us)
    GROUP BY ALL`);
  return phases.map((_, i) => {
    const counts = rows.filter((r) => r.phase === i).map(({ topic, role, records }) => ({ topic, role, records }));
    return counts.sort((a, b) => a.topic.localeCompare(b.topic) || a.role.localeCompare(b.role));
  });
}
