/**
 * lost: an acknowledged input (a send with outcome `ok`) whose event_id is in none of the
 * output, DLQ or late records. Per event_id: deliberate duplicates share their original's id,
 * so an event is accounted for when its id appears anywhere, and a re-send is not itself
 * required to appear. `info` sends (unknown outcome) are never lost, `fail` sends are not
 * expected anywhere; both are only counted.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, skippedResult, MAX_EXAMPLES, type Checker, type CheckResult } from './checker.ts';
import { RESULT_ROLES } from './history-sql.ts';
import { eventIdFor, identitiesOf } from './declared-sut.ts';
import { failoverMetaOf, RPO_LOST_SQL } from '../drill/drill-meta.ts';

interface Row {
  rpo: number;
  acked: number;
  lost: number;
  info_only: number;
  info_seen: number;
  failed: number;
  fail_seen: number;
  examples: unknown[] | null;
}

/** In a failover drill, events lost with the primary site (the RPO) are the SLAs' to judge, not this checker's. */
const sql = (id: string, drill: boolean) => `
WITH ${drill ? `rpo AS (${RPO_LOST_SQL}),` : ''} seen AS (
  SELECT DISTINCT ${id} AS event_id FROM observed WHERE role IN ${RESULT_ROLES}),
ev AS (
  SELECT event_id, bool_or(outcome = 'ok') AS acked, bool_or(outcome = 'info') AS info,
    arg_min({'partition': partition, 'offset': "offset", 'send_id': send_id, 'truth': truth}, send_id)
      FILTER (WHERE outcome = 'ok') AS first_ok
  FROM sends GROUP BY event_id),
j0 AS (SELECT ev.*, seen.event_id IS NOT NULL AS is_seen FROM ev LEFT JOIN seen USING (event_id)),
j AS (SELECT * REPLACE (is_seen OR ${drill ? 'event_id IN (SELECT event_id FROM rpo)' : 'false'} AS is_seen), is_seen AS really_seen FROM j0)
SELECT
  count(*) FILTER (WHERE acked AND NOT really_seen AND is_seen) AS rpo,
  count(*) FILTER (WHERE acked) AS acked,
  count(*) FILTER (WHERE acked AND NOT is_seen) AS lost,
  count(*) FILTER (WHERE NOT acked AND info) AS info_only,
  count(*) FILTER (WHERE NOT acked AND info AND is_seen) AS info_seen,
  count(*) FILTER (WHERE NOT acked AND NOT info) AS failed,
  count(*) FILTER (WHERE NOT acked AND NOT info AND is_seen) AS fail_seen,
  to_json((list({'event_id': event_id, 'partition': first_ok.partition, 'offset': first_ok.offset,
                 'send_id': first_ok.send_id, 'truth': first_ok.truth} ORDER BY first_ok.send_id)
           FILTER (WHERE acked AND NOT is_seen))[1:${MAX_EXAMPLES}]) AS examples
FROM j`;

export const lostChecker: Checker = {
  name: 'lost',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const carriers = params.declared?.topics.outputs.filter((o) => o.role === 'records' || o.role === 'dlq' || o.role === 'late') ?? [];
    if (params.declared && carriers.length === 0 && !params.declared.sinks.some((s) => s.role === 'records')) {
      return skippedResult('lost', 'no output carries input event ids (records, dlq or late): aggregates are judged by `aggregates`');
    }
    const drill = (await failoverMetaOf(history)) !== undefined;
    const [row] = await history.query<Row>(sql(await eventIdFor(history, identitiesOf(params.declared), `role IN ${RESULT_ROLES}`), drill));
    const r = row!;
    const counts = {
      ...(drill ? { lostWithPrimarySite: r.rpo } : {}),
      ackedEvents: r.acked,
      lost: r.lost,
      infoOnlyEvents: r.info_only,
      infoOnlySeen: r.info_seen,
      failedEvents: r.failed,
      failedButSeen: r.fail_seen,
    };
    const notes = [
      r.info_only > 0 ? `${r.info_only} info-only events (${r.info_seen} seen, the rest unresolved, not lost)` : '',
      r.fail_seen > 0 ? `${r.fail_seen} events whose sends all failed were seen anyway` : '',
      r.rpo > 0 ? `${r.rpo} events lost with the primary site (the drill's RPO: judged by its SLAs and the failover check)` : '',
    ].filter(Boolean).join('; ');
    const tail = notes ? `; ${notes}` : '';
    if (r.lost > 0) return checkResult('lost', false, `${r.lost} of ${r.acked} acknowledged events are in no output, DLQ or late record${tail}`, counts, r.examples ?? []);
    if (r.acked === 0) return checkResult('lost', 'unknown', `no acknowledged send to check${tail}`, counts);
    return checkResult('lost', true, `all ${r.acked} acknowledged events accounted for${tail}`, counts);
  },
};
