/**
 * The SQL of the windows checker (see windows.ts for what it decides). Numbers are inlined:
 * they come from validated params. W = windowSizeMs, L = allowedOutOfOrdernessMs.
 */
import { MAX_EXAMPLES } from './checker.ts';
import { EVENT_ID, SOURCE, SOURCE_OFFSET, SOURCE_PARTITION, VALUE_TEXT } from './history-sql.ts';

const jx = (txt: string, path: string) => `CASE WHEN json_valid(${txt}) THEN json_extract_string(${txt}, '${path}') END`;
const windowStart = (t: string, w: number) => `(CAST(floor(${t} / ${w}) AS BIGINT) * ${w})`;

/** Per input event (not poison): its first send's value, event time and acknowledged partition. */
const SEND_ATTRS = `
send_attrs AS (
  SELECT event_id, arg_min(TRY(decode(value)), send_id) AS txt, arg_min(event_time_ms, send_id) AS t,
    arg_min(partition, send_id) FILTER (WHERE outcome = 'ok') AS p
  FROM sends WHERE truth <> 'poison' GROUP BY event_id)`;

/**
 * The SUT's on-time events: distinct event ids in role output, placed on their input partition
 * (send, else sp-source, else the output partition) with attributes from the sent value (else
 * the output value).
 */
export function onTimeEvents(): string {
  return `${SEND_ATTRS},
outs AS (
  SELECT event_id, min(sp) AS sp, min(so) AS so, min(partition) AS op, arg_min(txt, "offset") AS txt FROM (
    SELECT ${EVENT_ID} AS event_id, ${SOURCE_PARTITION} AS sp, ${SOURCE_OFFSET} AS so, partition, "offset", TRY(decode(value)) AS txt
    FROM observed WHERE role = 'output') WHERE event_id IS NOT NULL GROUP BY event_id),
ontime AS (
  SELECT o.event_id, coalesce(a.p, o.sp, o.op) AS p, o.so,
    coalesce(a.t, TRY_CAST(${jx('o.txt', '$.event_time_ms')} AS BIGINT)) AS t,
    coalesce(${jx('a.txt', '$.region')}, ${jx('o.txt', '$.region')}) AS region,
    coalesce(${jx('a.txt', '$.event_type')}, ${jx('o.txt', '$.event_type')}) AS event_type,
    coalesce(TRY_CAST(${jx('a.txt', '$.amount')} AS DOUBLE), TRY_CAST(${jx('o.txt', '$.amount')} AS DOUBLE)) AS amount
  FROM outs o LEFT JOIN send_attrs a USING (event_id))`;
}

/** Gold (and sink) windows vs the aggregate of the SUT's on-time events: (1) exact, (3) once, (4) complete. */
export function goldSql(w: number): string {
  const ex = MAX_EXAMPLES;
  return `
WITH ${onTimeEvents()},
expected AS (
  SELECT p, ${windowStart('t', w)} AS w, region AS r, count(*) AS ec,
    count(*) FILTER (WHERE event_type = 'order_placed') AS oc,
    coalesce(sum(round(amount * 100)) FILTER (WHERE event_type = 'order_paid'), 0)::BIGINT AS rc,
    list(event_id ORDER BY event_id)[1:3] AS sample_ids
  FROM ontime WHERE p IS NOT NULL AND t IS NOT NULL AND region IS NOT NULL GROUP BY ALL),
raw AS (
  SELECT DISTINCT role, topic, partition AS gp, "offset", ${VALUE_TEXT} AS txt FROM observed
  WHERE role IN ('gold', 'sink') AND value IS NOT NULL),
g AS (
  SELECT role, topic || '/' || gp || '/' || "offset" AS record,
    TRY_CAST(${jx('txt', '$.partition')} AS INTEGER) AS p, TRY_CAST(${jx('txt', '$.window_start_ms')} AS BIGINT) AS w,
    ${jx('txt', '$.region')} AS r, TRY_CAST(${jx('txt', '$.window_end_ms')} AS BIGINT) AS we,
    TRY_CAST(${jx('txt', '$.event_count')} AS BIGINT) AS ec, TRY_CAST(${jx('txt', '$.order_count')} AS BIGINT) AS oc,
    TRY_CAST(${jx('txt', '$.revenue_cents')} AS BIGINT) AS rc
  FROM raw),
em AS (
  SELECT role, p, w, r, we, ec, oc, rc, count(*) AS n, min(record) AS record
  FROM g WHERE p IS NOT NULL AND w IS NOT NULL AND r IS NOT NULL GROUP BY role, p, w, r, we, ec, oc, rc),
mis AS (
  SELECT em.*, e.ec AS x_ec, e.oc AS x_oc, e.rc AS x_rc FROM em LEFT JOIN expected e ON e.p = em.p AND e.w = em.w AND e.r = em.r
  WHERE e.ec IS NULL OR em.ec IS DISTINCT FROM e.ec OR em.oc IS DISTINCT FROM e.oc OR em.rc IS DISTINCT FROM e.rc
    OR em.we IS DISTINCT FROM em.w + ${w}),
conflicts AS (SELECT role, p, w, r, count(*) AS values FROM em GROUP BY role, p, w, r HAVING count(*) > 1),
maxend AS (SELECT p, max(w) + ${w} AS max_end FROM em WHERE role = 'gold' GROUP BY p),
gold_keys AS (SELECT DISTINCT p, w, r FROM em WHERE role = 'gold'),
sink_keys AS (SELECT DISTINCT p, w, r FROM em WHERE role = 'sink'),
missing AS (
  SELECT e.* FROM expected e JOIN maxend m USING (p)
  WHERE e.w + ${w} <= m.max_end AND NOT EXISTS (SELECT 1 FROM gold_keys k WHERE k.p = e.p AND k.w = e.w AND k.r = e.r)),
sink_missing AS (
  SELECT k.* FROM gold_keys k WHERE (SELECT count(*) FROM sink_keys) > 0
    AND NOT EXISTS (SELECT 1 FROM sink_keys s WHERE s.p = k.p AND s.w = k.w AND s.r = k.r))
SELECT
  (SELECT count(*) FROM ontime) AS ontime_events,
  (SELECT count(*) FROM ontime WHERE p IS NULL OR t IS NULL OR region IS NULL) AS unattributed,
  (SELECT count(*) FROM expected) AS expected_windows,
  (SELECT count(*) FROM g WHERE role = 'gold') AS gold_records,
  (SELECT count(*) FROM g WHERE role = 'gold' AND (p IS NULL OR w IS NULL OR r IS NULL)) AS gold_unparsed,
  (SELECT count(*) FROM gold_keys) AS gold_windows,
  (SELECT count(*) FROM g WHERE role = 'sink') AS sink_rows,
  (SELECT count(*) FROM mis WHERE role = 'gold') AS mismatched,
  (SELECT count(*) FROM mis WHERE role = 'sink') AS sink_mismatched,
  (SELECT count(*) FROM conflicts WHERE role = 'gold') AS conflicting,
  (SELECT count(*) FROM missing) AS missing,
  (SELECT count(*) FROM sink_missing) AS sink_missing,
  (SELECT to_json(list({'problem': 'mismatch', 'role': role, 'window': p || '|' || w || '|' || r, 'record': record,
      'got': {'window_end_ms': we, 'event_count': ec, 'order_count': oc, 'revenue_cents': rc},
      'expected': CASE WHEN x_ec IS NULL THEN NULL ELSE {'window_end_ms': w + ${w}, 'event_count': x_ec, 'order_count': x_oc, 'revenue_cents': x_rc} END}
    ORDER BY role, p, w, r)[1:${ex}]) FROM mis) AS mismatch_examples,
  (SELECT to_json(list({'problem': 'emitted twice', 'role': role, 'window': p || '|' || w || '|' || r, 'values': values}
    ORDER BY p, w, r)[1:${ex}]) FROM conflicts WHERE role = 'gold') AS conflict_examples,
  (SELECT to_json(list({'problem': 'missing', 'window': p || '|' || w || '|' || r,
      'expected': {'event_count': ec, 'order_count': oc, 'revenue_cents': rc}, 'event_ids': sample_ids}
    ORDER BY p, w, r)[1:${ex}]) FROM missing) AS missing_examples,
  (SELECT to_json(list({'problem': 'missing in sink', 'window': p || '|' || w || '|' || r} ORDER BY p, w, r)[1:${ex}])
    FROM sink_missing) AS sink_missing_examples`;
}

/** Whether the inputs allow the exact one-partition lateness rule: one topic, one partition, no info sends. */
export const INPUT_SHAPE_SQL = `
SELECT count(DISTINCT partition) FILTER (WHERE outcome = 'ok') AS partitions, count(DISTINCT topic) AS topics,
  count(*) FILTER (WHERE outcome = 'info') AS info FROM sends`;

/**
 * (2) Every late record must be possibly late: window end <= bound - L, where bound is the max
 * event time of the inputs that may have been read before it. General rule: inputs invoked
 * before the late input's send completed (or, around a fault, before heal + grace). Exact rule
 * (one partition): inputs at lower offsets of that partition. With `checkOnTime`, the exact rule
 * is also applied to the on-time outputs (`missedLate`: they must not be late by it).
 */
export function lateSql(w: number, l: number, graceUs: number, exact: boolean, checkOnTime: boolean, skipReplays: boolean): string {
  const wend = (t: string) => `${windowStart(t, w)} + ${w}`;
  const general = `
pre AS (
  SELECT invoke_us, max(event_time_ms) OVER (ORDER BY invoke_us) AS mx FROM sends
  WHERE truth <> 'poison' AND outcome IN ('ok', 'info') AND event_time_ms IS NOT NULL),
covered AS (
  SELECT d.*, bool_or(f.fault_id IS NOT NULL AND f.heal_us IS NULL) AS open_fault, max(f.heal_us + ${graceUs}) AS fault_cut
  FROM decisions d LEFT JOIN faults f ON f.start_us - ${graceUs} <= d.complete_us AND (f.heal_us IS NULL OR f.heal_us + ${graceUs} >= d.invoke_us)
  GROUP BY ALL),
cut AS (
  SELECT *, CASE WHEN complete_us IS NULL OR open_fault THEN NULL ELSE greatest(complete_us, coalesce(fault_cut, complete_us)) END AS cutoff
  FROM covered),
bound AS (SELECT c.*, pre.mx FROM cut c ASOF LEFT JOIN pre ON c.cutoff > pre.invoke_us),
judged AS (SELECT *, cutoff IS NULL OR t IS NULL AS unverifiable FROM bound)`;
  const exactRule = `
dlqd AS (SELECT DISTINCT ${EVENT_ID} AS event_id FROM observed WHERE role = 'dlq'),
pre AS (
  SELECT "offset" AS o, max(event_time_ms) OVER (ORDER BY "offset") AS mx FROM sends
  WHERE outcome = 'ok' AND truth <> 'poison' AND event_time_ms IS NOT NULL AND event_id NOT IN (SELECT event_id FROM dlqd WHERE event_id IS NOT NULL)),
bound AS (SELECT d.*, pre.mx FROM decisions d ASOF LEFT JOIN pre ON d.o > pre.o),
judged AS (SELECT *, o IS NULL OR t IS NULL AS unverifiable FROM bound)`;
  const roles = checkOnTime ? `('late', 'output')` : `('late')`;
  return `
WITH ${SEND_ATTRS},
recs AS (
  SELECT DISTINCT role, ${EVENT_ID} AS event_id, ${SOURCE} AS source, ${SOURCE_PARTITION} AS sp, ${SOURCE_OFFSET} AS so,
    TRY_CAST(${jx('TRY(decode(value))', '$.event_time_ms')} AS BIGINT) AS vt
  FROM observed WHERE role IN ${roles}),
in_output AS (SELECT DISTINCT ${EVENT_ID} AS event_id FROM observed WHERE role = 'output'),
first_ok AS (
  SELECT event_id, arg_min({'p': partition, 'o': "offset", 'invoke_us': invoke_us, 'complete_us': complete_us}, send_id) AS s
  FROM sends WHERE outcome = 'ok' GROUP BY event_id),
decisions AS (
  SELECT r.role, r.event_id, coalesce(a.t, r.vt) AS t,
    coalesce(m.partition, f.s.p) AS p, coalesce(m."offset", f.s.o) AS o,
    coalesce(m.invoke_us, f.s.invoke_us) AS invoke_us,
    CASE WHEN m.send_id IS NOT NULL THEN m.complete_us ELSE f.s.complete_us END AS complete_us
  FROM recs r
  LEFT JOIN sends m ON m.outcome = 'ok' AND m.event_id = r.event_id AND m.partition = r.sp AND m."offset" = r.so
    AND (r.source IS NULL OR starts_with(r.source, m.topic || '/'))
  LEFT JOIN first_ok f ON f.event_id = r.event_id
  LEFT JOIN send_attrs a ON a.event_id = r.event_id
  WHERE r.event_id IS NOT NULL
    ${skipReplays ? `AND NOT (r.role = 'late' AND r.event_id IN (SELECT event_id FROM in_output WHERE event_id IS NOT NULL))` : ''}),
${exact ? exactRule : general},
flagged AS (
  SELECT *, ${wend('t')} AS wend, mx - ${l} AS limit_ms,
    CASE WHEN unverifiable THEN NULL
         WHEN role = 'late' THEN mx IS NULL OR ${wend('t')} > mx - ${l}
         ELSE mx IS NOT NULL AND ${wend('t')} <= mx - ${l} END AS bad
  FROM judged)
SELECT (SELECT count(*) FROM recs WHERE role = 'late' AND event_id IS NOT NULL) AS late_records,
  count(*) FILTER (WHERE role = 'late') AS late_checked,
  count(*) FILTER (WHERE role = 'late' AND unverifiable) AS late_unverifiable,
  count(*) FILTER (WHERE role = 'late' AND bad) AS wrongly_late,
  count(*) FILTER (WHERE role = 'output' AND NOT unverifiable) AS ontime_checked,
  count(*) FILTER (WHERE role = 'output' AND bad) AS missed_late,
  to_json((list({'problem': CASE WHEN role = 'late' THEN 'wrongly late' ELSE 'should have been late' END,
      'event_id': event_id, 'input': p || '/' || o, 'event_time_ms': t, 'window_end_ms': wend, 'latest_possible_close_ms': limit_ms}
    ORDER BY invoke_us) FILTER (WHERE bad))[1:${MAX_EXAMPLES}]) AS examples
FROM flagged`;
}
