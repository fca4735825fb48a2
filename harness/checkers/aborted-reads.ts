/**
 * aborted-reads: records a read_committed consumer saw *during* the run (role `records-live`,
 * or any role ending in `-live`) must still be there, unchanged, in the final committed scan
 * (any other role, same topic/partition/offset). A live record missing from the final scan
 * was read from an aborted transaction (or from a log that was later truncated); one whose
 * value changed was overwritten after truncation. No live data: 'unknown'. Live records of a
 * topic the final scan never covered are counted, not judged.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';
import { eventIdFor, identitiesOf } from './declared-sut.ts';
import { checkResult, MAX_EXAMPLES, type Checker, type CheckResult } from './checker.ts';

interface Row {
  live: number;
  checked: number;
  missing: number;
  changed: number;
  unscanned: number;
  examples: unknown[] | null;
}

/** A record's value as a hash: live and final copies are compared by it, and no value is carried through a hash table (~40% of the time at 1M). */
const VALUE_HASH = `hash(coalesce(value, ''::BLOB))`;

const sql = (id: string) => `
WITH live AS (
  SELECT topic, partition, "offset", any_value(${VALUE_HASH}) AS h, any_value(${id}) AS event_id, min(observed_us) AS seen_us
  FROM observed WHERE role LIKE '%-live' GROUP BY topic, partition, "offset"),
final AS (
  SELECT DISTINCT topic, partition, "offset", ${VALUE_HASH} AS h
  FROM observed WHERE role NOT LIKE '%-live' AND topic IN (SELECT DISTINCT topic FROM live)),
scanned AS (SELECT DISTINCT topic FROM final),
j AS (
  SELECT live.*, live.topic IN (SELECT topic FROM scanned) AS is_scanned,
    CASE WHEN present.topic IS NULL THEN 'missing' WHEN same.topic IS NULL THEN 'changed' END AS problem
  FROM live
  LEFT JOIN (SELECT DISTINCT topic, partition, "offset" FROM final) present USING (topic, partition, "offset")
  LEFT JOIN final same ON same.topic = live.topic AND same.partition = live.partition AND same."offset" = live."offset" AND same.h = live.h)
SELECT count(*) AS live, count(*) FILTER (WHERE is_scanned) AS checked,
  count(*) FILTER (WHERE is_scanned AND problem = 'missing') AS missing,
  count(*) FILTER (WHERE is_scanned AND problem = 'changed') AS changed,
  count(*) FILTER (WHERE NOT is_scanned) AS unscanned,
  to_json((list({'problem': problem, 'record': j.topic || '/' || j.partition || '/' || j."offset", 'event_id': event_id, 'seen_us': seen_us}
    ORDER BY seen_us) FILTER (WHERE is_scanned AND problem IS NOT NULL))[1:${MAX_EXAMPLES}]) AS examples
FROM j`;

export const abortedReadsChecker: Checker = {
  name: 'aborted-reads',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const [r] = (await history.query<Row>(sql(await eventIdFor(history, identitiesOf(params.declared), `role LIKE '%-live'`)))) as [Row];
    const counts = { liveRecords: r.live, checked: r.checked, notCommitted: r.missing, changed: r.changed, unscannedTopics: r.unscanned };
    const note = r.unscanned > 0 ? `; ${r.unscanned} live records of topics the final scan did not cover` : '';
    if (r.missing + r.changed > 0) {
      return checkResult('aborted-reads', false,
        `${r.missing} records seen during the run are not in the final committed scan, ${r.changed} changed${note}`, counts, r.examples ?? []);
    }
    if (r.live === 0) return checkResult('aborted-reads', 'unknown', 'no records-live records: the run did not watch the output during the run', counts);
    if (r.checked === 0) return checkResult('aborted-reads', 'unknown', `no final scan of the live topics to compare with${note}`, counts);
    return checkResult('aborted-reads', true, `all ${r.checked} records seen during the run are committed${note}`, counts);
  },
};
