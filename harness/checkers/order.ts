/**
 * order (only when params.perKeyOrder): for each key, the SUT's output records (role output,
 * in output partition/offset order) follow the input order (input partition/offset, from the
 * output's `sp-source` header, else the event's acknowledged send). Only the first output of
 * each event counts (repeats are the duplicates checker's business), and late/DLQ records are
 * not outputs. A key whose outputs are spread over several partitions of one topic has no
 * order, which is itself a violation (`splitKeys`).
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, skippedResult, MAX_EXAMPLES, type Checker, type CheckResult } from './checker.ts';
import { SOURCE_OFFSET, SOURCE_PARTITION } from './history-sql.ts';
import { eventIdFor, identitiesOf } from './declared-sut.ts';

interface Row {
  outputs: number;
  keys: number;
  unpositioned: number;
  split_keys: number;
  inversions: number;
  inverted_keys: number;
  examples: unknown[] | null;
  split_examples: unknown[] | null;
}

const sql = (id: string) => `
WITH out AS (
  SELECT DISTINCT topic, partition, "offset", key, ${id} AS event_id, ${SOURCE_PARTITION} AS sp, ${SOURCE_OFFSET} AS so
  FROM observed WHERE role = 'records'),
s AS (
  SELECT event_id, min(key) AS key, arg_min({'p': partition, 'o': "offset"}, send_id) FILTER (WHERE outcome = 'ok') AS pos
  FROM sends GROUP BY event_id),
j AS (
  SELECT out.topic, out.partition, out."offset", out.event_id, coalesce(s.key, out.key) AS k,
    CASE WHEN out.so IS NOT NULL THEN out.sp ELSE s.pos.p END AS ip,
    CASE WHEN out.so IS NOT NULL THEN out.so ELSE s.pos.o END AS io
  FROM out LEFT JOIN s USING (event_id)
  WHERE out.event_id IS NOT NULL),
firsts AS (
  SELECT * FROM j WHERE k IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY topic, k, event_id ORDER BY partition, "offset") = 1),
keys AS (SELECT topic, k, count(DISTINCT partition) AS parts, list(DISTINCT partition ORDER BY partition) AS partitions FROM firsts GROUP BY topic, k),
seq AS (
  SELECT *, lag(ip) OVER w AS prev_ip, lag(io) OVER w AS prev_io, lag(event_id) OVER w AS prev_event,
    lag("offset") OVER w AS prev_offset
  FROM firsts WHERE io IS NOT NULL
  WINDOW w AS (PARTITION BY topic, k, partition ORDER BY "offset")),
inv AS (SELECT * FROM seq WHERE prev_io IS NOT NULL AND (prev_ip, prev_io) > (ip, io))
SELECT (SELECT count(*) FROM firsts) AS outputs, (SELECT count(*) FROM keys) AS keys,
  (SELECT count(*) FROM firsts WHERE io IS NULL) AS unpositioned,
  (SELECT count(*) FROM keys WHERE parts > 1) AS split_keys,
  (SELECT count(*) FROM inv) AS inversions, (SELECT count(DISTINCT (topic, k)) FROM inv) AS inverted_keys,
  (SELECT to_json(list({'key': k,
      'before': {'event_id': prev_event, 'record': topic || '/' || partition || '/' || prev_offset, 'input_partition': prev_ip, 'input_offset': prev_io},
      'after': {'event_id': event_id, 'record': topic || '/' || partition || '/' || "offset", 'input_partition': ip, 'input_offset': io}}
    ORDER BY topic, partition, "offset")[1:${MAX_EXAMPLES}]) FROM inv) AS examples,
  (SELECT to_json(list({'key': k, 'topic': topic, 'partitions': partitions} ORDER BY topic, k)[1:${MAX_EXAMPLES}]) FROM keys WHERE parts > 1) AS split_examples`;

export const orderChecker: Checker = {
  name: 'order',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    if (!params.perKeyOrder) {
      return skippedResult('order', 'the SUT does not promise per-key order');
    }
    const [r] = (await history.query<Row>(sql(await eventIdFor(history, identitiesOf(params.declared), `role = 'records'`)))) as [Row];
    const counts = {
      outputs: r.outputs,
      keys: r.keys,
      unpositioned: r.unpositioned,
      splitKeys: r.split_keys,
      inversions: r.inversions,
      invertedKeys: r.inverted_keys,
    };
    const examples = [...(r.examples ?? []), ...(r.split_examples ?? [])];
    const problems = [
      r.inversions > 0 ? `${r.inversions} out-of-order outputs in ${r.inverted_keys} keys` : '',
      r.split_keys > 0 ? `${r.split_keys} keys output on several partitions` : '',
    ].filter(Boolean);
    const note = r.unpositioned > 0 ? `; ${r.unpositioned} outputs with no known input position skipped` : '';
    if (problems.length > 0) return checkResult('order', false, `${problems.join('; ')}${note}`, counts, examples);
    if (r.outputs - r.unpositioned === 0) return checkResult('order', 'unknown', `no keyed output with a known input position${note}`, counts);
    return checkResult('order', true, `outputs of all ${r.keys} keys follow the input order${note}`, counts);
  },
};
