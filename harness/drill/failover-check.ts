/**
 * The failover drill's judge, from the history only (so `streamproof check` gives the same answer):
 *
 * - RPO: acknowledged sends on the primary whose event never reached the DR site's input (its
 *   final scan), counted (`rpo_records`) and timed (`rpo_time`: from the oldest of them to the
 *   disaster), each listed;
 * - RTO: from the disaster to the first output observed from the DR site (`rto`), and to the
 *   start of the first second from which every second of DR output is within the steady latency
 *   bound (`rto_steady`);
 * - across the switch: events output on both sites (`failover_duplicates`: re-reads after offset
 *   translation, explained unless the SUT promised `exactlyOnceAcrossSites`), and acknowledged
 *   events in no output of either site that the RPO does not explain (lost by the failover
 *   itself: a SUT that skipped what was waiting for it on the DR site).
 *
 * The SLAs (rpo_time < 5s, rto < 60s, ...) hold the figures to their objectives; the check
 * fails only on loss beyond the RPO, or on duplicates the SUT promised it would not make.
 */
import { checkResult, MAX_EXAMPLES, type CheckResult } from '../checkers/checker.ts';
import { EVENT_ID, RESULT_ROLES, SEND_TS } from '../checkers/history-sql.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import { DR_OFFSET_BASE, FAILOVER_CHECK, failoverMetaOf, RPO_LOST_SQL, SITE_SQL, type FailoverMeta } from './drill-meta.ts';

const n = (x: unknown) => Number(x ?? 0);

export async function failoverCheck(history: HistoryReader, idExpression: string = EVENT_ID): Promise<CheckResult> {
  const meta = await failoverMetaOf(history);
  if (!meta) return checkResult(FAILOVER_CHECK, 'unknown', 'the failover drill left no record (it did not reach the disaster)', {});
  const counts: Record<string, number> = {};

  const [rpo] = await history.query<{ lost: number; oldest: number | null; examples: unknown[] | null }>(`
    SELECT count(*)::INTEGER AS lost, min(acked_us) AS oldest,
      to_json((list({'event_id': event_id, 'partition': first.partition, 'offset': first."offset", 'send_id': first.send_id, 'acked_before_disaster_ms': round((${meta.disasterUs} - acked_us) / 1000)} ORDER BY acked_us))[1:${MAX_EXAMPLES}]) AS examples
    FROM (${RPO_LOST_SQL})`);
  counts.rpo_records = n(rpo?.lost);
  counts.rpo_time = rpo?.oldest == null ? 0 : Math.max(0, Math.round((meta.disasterUs - n(rpo.oldest)) / 1000));

  const [first] = await history.query<{ at: number | null }>(`SELECT min(observed_us) AS at FROM observed WHERE role LIKE '%-live' AND "offset" >= ${DR_OFFSET_BASE}`);
  if (first?.at == null) counts.rto_never = 1;
  else counts.rto = Math.round((n(first.at) - meta.disasterUs) / 1000);
  const steady = await steadySince(history, meta);
  if (steady === null) counts.rto_steady_never = 1;
  // A bucket starts at a whole second: never before the first output it holds.
  else counts.rto_steady = Math.max(counts.rto ?? 0, Math.round((steady - meta.disasterUs) / 1000));

  const [across] = await history.query<{ both: number; lost: number; examples: unknown[] | null }>(`
    WITH out AS (SELECT ${idExpression} AS e, bool_or("offset" < ${DR_OFFSET_BASE}) AS on_primary, bool_or("offset" >= ${DR_OFFSET_BASE}) AS on_dr
                 FROM observed WHERE role IN ${RESULT_ROLES} GROUP BY 1),
         rpo AS (${RPO_LOST_SQL}),
         acked AS (SELECT event_id, arg_min({'partition': partition, 'offset': "offset", 'site': ${SITE_SQL}}, send_id) AS first
                   FROM sends WHERE outcome = 'ok' GROUP BY event_id)
    SELECT (SELECT count(*) FROM out WHERE on_primary AND on_dr)::INTEGER AS both,
      (SELECT count(*) FROM acked WHERE event_id NOT IN (SELECT e FROM out WHERE e IS NOT NULL) AND event_id NOT IN (SELECT event_id FROM rpo))::INTEGER AS lost,
      (SELECT to_json((list({'event_id': event_id, 'site': first.site, 'partition': first.partition, 'offset': first."offset" - CASE WHEN first.site = 'dr' THEN ${DR_OFFSET_BASE} ELSE 0 END} ORDER BY event_id)
        FILTER (WHERE event_id NOT IN (SELECT e FROM out WHERE e IS NOT NULL) AND event_id NOT IN (SELECT event_id FROM rpo)))[1:${MAX_EXAMPLES}]) FROM acked) AS examples`);
  counts.failover_duplicates = n(across?.both);
  counts.lost_beyond_rpo = n(across?.lost);

  const figures = `RPO ${counts.rpo_records} records / ${(counts.rpo_time / 1000).toFixed(1)} s; RTO ${counts.rto === undefined ? 'never' : `${(counts.rto / 1000).toFixed(1)} s`} to the first DR output, ${counts.rto_steady === undefined ? 'never' : `${(counts.rto_steady / 1000).toFixed(1)} s`} to steady latency; ${counts.failover_duplicates} events output on both sites`;
  const rpoExamples = (rpo?.examples ?? []).map((e) => ({ lostWithPrimary: e }));
  if (counts.lost_beyond_rpo > 0) {
    return checkResult(FAILOVER_CHECK, false, `${counts.lost_beyond_rpo} acknowledged events reached the DR site (or were sent there) but are in no output of either site; ${figures}`, counts, [...(across?.examples ?? []).map((e) => ({ lostAtFailover: e })), ...rpoExamples]);
  }
  if (meta.exactlyOnceAcrossSites && counts.failover_duplicates > 0) {
    return checkResult(FAILOVER_CHECK, false, `the SUT promised exactly-once across sites, yet ${counts.failover_duplicates} events were output on both; ${figures}`, counts, rpoExamples);
  }
  if (counts.rto === undefined) return checkResult(FAILOVER_CHECK, 'unknown', `the DR site produced no output: ${figures}`, counts, rpoExamples);
  return checkResult(FAILOVER_CHECK, true, `${figures}${counts.rpo_records > 0 ? ' (the RPO events are listed)' : ''}`, counts, rpoExamples);
}

/** Epoch µs of the first one-second bucket from which every bucket of DR output has p99 latency within the steady bound; null if never. */
async function steadySince(history: HistoryReader, meta: FailoverMeta): Promise<number | null> {
  const buckets = await history.query<{ b: number; p99: number }>(`
    SELECT (observed_us // 1000000) * 1000000 AS b, quantile_cont((observed_us - ${SEND_TS}) / 1000.0, 0.99) AS p99
    FROM observed WHERE role LIKE '%-live' AND "offset" >= ${DR_OFFSET_BASE} AND ${SEND_TS} IS NOT NULL AND observed_us >= ${meta.disasterUs}
    GROUP BY 1 ORDER BY 1`);
  let since: number | null = null;
  for (const { b, p99 } of buckets) {
    if (n(p99) <= meta.steadyLatencyMs) since ??= n(b);
    else since = null;
  }
  return since;
}
