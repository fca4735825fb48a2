/**
 * duplicates: an event accounted for by more than one distinct record across output ∪ late
 * (∪ DLQ for poison), beyond what the input itself explains; and gold windows emitted twice.
 *
 * Explained copies: the SUT is expected to dedupe the generator's deliberate duplicates
 * (truth `duplicate`), but not the harness's own re-sends (a retrying producer that wrote the
 * same event twice, or an `info` send that landed after all). Each input copy that is not a
 * deliberate duplicate allows one output copy: ok sends (distinct positions), plus bronze
 * copies beyond the ok sends (inputs the harness could not see land). Without bronze data,
 * every `info` non-duplicate send is assumed to have landed. See docs/checkers.md.
 *
 * Gold (role gold, the topic) and sink (role sink, the SUT's table): a window key
 * (partition, window_start_ms, region) with two different values is a duplicate. Identical
 * re-emissions on the topic are duplicates too when the SUT promises exactly-once
 * (params.exactlyOnce, default true); identical sink rows are idempotent writes, never.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, MAX_EXAMPLES, type Checker, type CheckResult } from './checker.ts';
import { EVENT_ID, SOURCE, VALUE_TEXT } from './history-sql.ts';

interface EventRow {
  events: number;
  duplicated: number;
  extra: number;
  explained: number;
  examples: unknown[] | null;
}

interface WindowRow {
  role: string;
  windows: number;
  records: number;
  conflicting: number;
  identical: number;
  examples: unknown[] | null;
}

const EVENTS_SQL = `
WITH obs AS (
  SELECT DISTINCT role, topic, partition, "offset", ${EVENT_ID} AS event_id, ${SOURCE} AS source
  FROM observed WHERE role IN ('records', 'late', 'dlq', 'bronze')),
ev AS (
  SELECT event_id, bool_or(truth = 'poison') AS poison,
    count(DISTINCT (topic, partition, "offset")) FILTER (WHERE outcome = 'ok' AND truth <> 'duplicate') AS ok_inputs,
    count(DISTINCT (topic, partition, "offset")) FILTER (WHERE outcome = 'ok') AS ok_all,
    count(*) FILTER (WHERE outcome = 'info' AND truth <> 'duplicate') AS info_inputs
  FROM sends GROUP BY event_id),
bronze AS (
  SELECT event_id, count(DISTINCT coalesce(source, topic || '/' || partition || '/' || "offset")) AS copies
  FROM obs WHERE role = 'bronze' GROUP BY event_id),
has_bronze AS (SELECT count(*) > 0 AS present FROM obs WHERE role = 'bronze'),
copies AS (
  SELECT o.event_id, list(o.role || ' ' || o.topic || '/' || o.partition || '/' || o."offset" ORDER BY o.role, o.topic, o.partition, o."offset") AS records
  FROM obs o LEFT JOIN ev USING (event_id)
  WHERE o.event_id IS NOT NULL AND (o.role IN ('records', 'late') OR (o.role = 'dlq' AND coalesce(ev.poison, false)))
  GROUP BY o.event_id),
j AS (
  SELECT c.event_id, c.records, len(c.records) AS n,
    CASE WHEN (SELECT present FROM has_bronze)
      THEN greatest(1, coalesce(ev.ok_inputs, 0) + greatest(0, coalesce(br.copies, 0) - coalesce(ev.ok_all, 0)))
      ELSE greatest(1, coalesce(ev.ok_inputs, 0) + coalesce(ev.info_inputs, 0)) END AS allowed
  FROM copies c LEFT JOIN ev USING (event_id) LEFT JOIN bronze br USING (event_id))
SELECT count(*) AS events, count(*) FILTER (WHERE n > allowed) AS duplicated,
  coalesce(sum(greatest(0, n - allowed)), 0)::BIGINT AS extra,
  count(*) FILTER (WHERE n > 1 AND n <= allowed) AS explained,
  to_json((list({'event_id': event_id, 'records': records[1:4], 'copies': n, 'explained_copies': allowed - 1} ORDER BY event_id)
           FILTER (WHERE n > allowed))[1:${MAX_EXAMPLES}]) AS examples
FROM j`;

const WINDOWS_SQL = `
WITH g AS (
  SELECT DISTINCT role, topic, partition, "offset", ${VALUE_TEXT} AS txt FROM observed
  WHERE role IN ('aggregate', 'sink') AND value IS NOT NULL),
k AS (
  SELECT role, CASE WHEN json_valid(txt) THEN json_extract_string(txt, '$.partition') || '|'
      || json_extract_string(txt, '$.window_start_ms') || '|' || json_extract_string(txt, '$.region') END AS wkey,
    CASE WHEN json_valid(txt) THEN json(txt)::VARCHAR END AS val
  FROM g),
per AS (SELECT role, wkey, count(*) AS n, count(DISTINCT val) AS nv, list(DISTINCT val ORDER BY val) AS vals FROM k WHERE wkey IS NOT NULL GROUP BY role, wkey)
SELECT role, count(*) AS windows, sum(n)::BIGINT AS records,
  count(*) FILTER (WHERE nv > 1) AS conflicting, count(*) FILTER (WHERE nv = 1 AND n > 1) AS identical,
  to_json((list({'role': role, 'window': wkey, 'records': n, 'values': vals[1:3]} ORDER BY wkey) FILTER (WHERE nv > 1))[1:${MAX_EXAMPLES}]) AS examples
FROM per GROUP BY role ORDER BY role`;

export const duplicatesChecker: Checker = {
  name: 'duplicates',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const [ev] = (await history.query<EventRow>(EVENTS_SQL)) as [EventRow];
    const windows = await history.query<WindowRow>(WINDOWS_SQL);
    const gold = windows.find((w) => w.role === 'aggregate');
    const sink = windows.find((w) => w.role === 'sink');
    const exactlyOnce = params.exactlyOnce !== false;
    const counts = {
      eventsSeen: ev.events,
      duplicatedEvents: ev.duplicated,
      extraCopies: ev.extra,
      explainedByInputCopies: ev.explained,
      goldWindows: gold?.windows ?? 0,
      goldConflicting: gold?.conflicting ?? 0,
      goldIdenticalRepeats: gold?.identical ?? 0,
      sinkRows: sink?.records ?? 0,
      sinkConflicting: sink?.conflicting ?? 0,
      sinkIdenticalRows: sink?.identical ?? 0,
    };
    const problems = [
      ev.duplicated > 0 ? `${ev.duplicated} events with ${ev.extra} unexplained extra copies` : '',
      counts.goldConflicting > 0 ? `${counts.goldConflicting} gold windows emitted with different values` : '',
      exactlyOnce && counts.goldIdenticalRepeats > 0 ? `${counts.goldIdenticalRepeats} gold windows emitted more than once (exactly-once)` : '',
      counts.sinkConflicting > 0 ? `${counts.sinkConflicting} sink windows with different rows` : '',
    ].filter(Boolean);
    const examples = [...(ev.examples ?? []), ...(gold?.examples ?? []), ...(sink?.examples ?? [])];
    if (problems.length > 0) return checkResult('duplicates', false, problems.join('; '), counts, examples);
    if (ev.events === 0 && !gold && !sink) return checkResult('duplicates', 'unknown', 'no output, late, DLQ or gold records to check', counts);
    const explained = ev.explained > 0 ? ` (${ev.explained} repeated events explained by input re-sends)` : '';
    const repeats = counts.goldIdenticalRepeats > 0 ? `; ${counts.goldIdenticalRepeats} identical gold re-emissions (not exactly-once: allowed)` : '';
    return checkResult('duplicates', true, `no duplicates among ${ev.events} events and ${counts.goldWindows} gold windows${explained}${repeats}`, counts);
  },
};
