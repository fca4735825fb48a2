/**
 * duplicates: every copy the SUT makes of its input, judged against the input topic's true
 * copies (read back by the final scan, never inferred from what the SUT wrote):
 *
 * - bronze (a raw copy): each event at most as many times as it is in the input topics;
 * - records and late outputs together, each records sink, and the DLQ for poison: at most once
 *   per event when the SUT promises `dedupesResends`, else once per input copy; with bounded
 *   dedupe (`{ withinMs }`), once plus once per re-send that was sent more than withinMs (event
 *   time) behind the newest event sent before it (the SUT may have forgotten the id by then);
 * - aggregate outputs with `final` emission: a key emitted more than once with the same value
 *   (a different value is the aggregates checker's "re-emitted with another value");
 * - Delta sinks: a streaming batch (txn appId and version) committed twice, from the table's log.
 *
 * A copy promised exactly-once (`promises.exactlyOnce`, or the output's or sink's own
 * `exactlyOnce`: a Kafka copy written at-least-once beside an idempotent Delta table) fails on any
 * extra copy, with examples; one that is not has them counted and reported, not failed.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { declaredAggregates, exactlyOnceAt, sinkTopic, type SutConfig } from '../sut/sut-config.ts';
import { emittedSql } from './aggregate-sql.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, MAX_EXAMPLES, type Checker, type CheckResult } from './checker.ts';
import { eventIdFor, identitiesOf } from './declared-sut.ts';
import { createInputsView } from './inputs-view.ts';
import { farResendsCte } from './far-resends.ts';
import { DR_OFFSET_BASE, secondCopyExplained } from '../drill/drill-meta.ts';

interface CopyRow {
  copy: string;
  events: number;
  duplicated: number;
  extra: number;
  explained: number;
  examples: unknown[] | null;
}

/** Whether (and how far) the SUT dedupes re-sends: false, true (always), or the event-time horizon in ms. */
type Dedupe = boolean | number;

/**
 * Copies per event and place, against the input's own copies, into the temp table `dup_judged`
 * (one row per copy and event: its copies `n` and the copies `allowed`). `secondCopy` (a drill's
 * second copy of the output whose re-emissions are explained: drill-meta.ts): an event's copies
 * are counted per copy and the larger count judged; the other copy's are `explained`.
 */
const judgedSql = (dedupes: Dedupe, secondCopy: boolean) => {
  const onPrimary = `count(*) FILTER (WHERE p."offset" < ${DR_OFFSET_BASE})`;
  const onDr = `count(*) FILTER (WHERE p."offset" >= ${DR_OFFSET_BASE})`;
  return `
CREATE OR REPLACE TEMP TABLE dup_judged AS
WITH ${typeof dedupes === 'number' ? farResendsCte(dedupes) : ''} per AS (
  SELECT p.copy, p.event_id, ${secondCopy ? `greatest(${onPrimary}, ${onDr})` : 'count(*)'} AS n, ${secondCopy ? `least(${onPrimary}, ${onDr})` : '0'} AS explained, coalesce(any_value(i.sp_copies), 1) AS input_copies, any_value(i.sp_truth) AS truth,
    ${typeof dedupes === 'number' ? 'coalesce(any_value(f.far), 0)' : '0'} AS far
  FROM dup_placed p LEFT JOIN all_inputs i ON i.sp_event_id = p.event_id ${typeof dedupes === 'number' ? 'LEFT JOIN far f ON f.event_id = p.event_id' : ''}
  GROUP BY p.copy, p.event_id)
SELECT *, CASE WHEN starts_with(copy, 'bronze') THEN input_copies WHEN ${dedupes !== false} THEN least(input_copies, 1 + far) ELSE input_copies END AS allowed
FROM per WHERE copy <> 'dlq' OR truth = 'poison'`;
};

const PLACED_ROLES = `role IN ('records', 'late', 'dlq', 'bronze')`;

/** Every copy the SUT made of an input event, by place (temp table `dup_placed`). */
const placedSql = (id: string) => `
CREATE OR REPLACE TEMP TABLE dup_placed AS
SELECT CASE WHEN role IN ('records', 'late') AND NOT starts_with(topic, 'sink:') THEN 'records+late'
            WHEN role = 'bronze' THEN 'bronze ' || topic WHEN role = 'dlq' THEN 'dlq' ELSE 'sink ' || topic END AS copy,
  role, topic, partition, "offset", event_id
FROM (SELECT DISTINCT role, topic, partition, "offset", ${id} AS event_id FROM observed WHERE ${PLACED_ROLES})
WHERE event_id IS NOT NULL`;

/** Counts per place; examples (the records of the first few events with extra copies) only where there are some. */
const COPIES_SQL = `
WITH bad AS (
  SELECT copy, event_id, n, input_copies FROM dup_judged WHERE n > allowed
  QUALIFY row_number() OVER (PARTITION BY copy ORDER BY event_id) <= ${MAX_EXAMPLES}),
ex AS (
  SELECT b.copy, {'event_id': b.event_id, 'copies': any_value(b.n), 'input_copies': any_value(b.input_copies),
    'records': list(p.role || ' ' || p.topic || '/' || p.partition || '/' || p."offset" ORDER BY p.topic, p.partition, p."offset")[1:4]} AS example
  FROM bad b JOIN dup_placed p USING (copy, event_id) GROUP BY b.copy, b.event_id),
counts AS (
  SELECT copy, count(*)::INTEGER AS events, count(*) FILTER (WHERE n > allowed)::INTEGER AS duplicated,
    coalesce(sum(greatest(0, n - allowed)), 0)::INTEGER AS extra, coalesce(sum(explained), 0)::INTEGER AS explained
  FROM dup_judged GROUP BY copy)
SELECT c.*, (SELECT to_json(list(example ORDER BY example.event_id)) FROM ex WHERE ex.copy = c.copy) AS examples
FROM counts c ORDER BY copy`;

/** Keys emitted more than once with one value (`secondCopy`: more than once on one site; once on each is explained). */
const repeatsSql = (secondCopy: boolean) => `
SELECT count(*)::INTEGER AS keys, count(*) FILTER (WHERE n > 1 AND nv = 1)::INTEGER AS repeated, count(*) FILTER (WHERE both_sites AND nv = 1)::INTEGER AS explained,
  to_json((list({'key': k, 'records': records[1:3]} ORDER BY k) FILTER (WHERE n > 1 AND nv = 1))[1:${MAX_EXAMPLES}]) AS examples
FROM (SELECT k, ${secondCopy ? `greatest(count(*) FILTER (WHERE "offset" < ${DR_OFFSET_BASE}), count(*) FILTER (WHERE "offset" >= ${DR_OFFSET_BASE}))` : 'count(*)'} AS n,
  ${secondCopy ? `bool_or("offset" < ${DR_OFFSET_BASE}) AND bool_or("offset" >= ${DR_OFFSET_BASE})` : 'false'} AS both_sites,
  count(DISTINCT txt) AS nv, list(record ORDER BY record) AS records FROM emitted GROUP BY k)`;

/** The topics (outputs, or `sink:<name>`) a copy of copiesSql is made of. */
function topicsOfCopy(copy: string, sut: SutConfig): string[] {
  const outputs = (...roles: string[]) => sut.topics.outputs.filter((o) => roles.includes(o.role)).map((o) => o.name);
  if (copy === 'records+late') return outputs('records', 'late');
  if (copy === 'dlq') return outputs('dlq');
  return [copy.replace(/^(bronze|sink) /, '')];
}

/** A copy is held to exactly-once only when every topic in it is promised so. */
function copyExactlyOnce(copy: string, declared: SutConfig | undefined, fallback: boolean): boolean {
  if (!declared) return fallback;
  const topics = topicsOfCopy(copy, declared);
  return topics.length === 0 ? fallback : topics.every((t) => exactlyOnceAt(declared, t));
}

export const duplicatesChecker: Checker = {
  name: 'duplicates',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const inputs = await createInputsView(history);
    if (inputs === 0) return checkResult('duplicates', 'unknown', 'the input topics were not read back: the true input copies are unknown', {});
    const declared = params.declared;
    const exactlyOnce = params.exactlyOnce === true;
    const promise = declared?.promises.dedupesResends;
    const secondCopy = await secondCopyExplained(history);
    await history.query(placedSql(await eventIdFor(history, identitiesOf(declared), PLACED_ROLES)));
    await history.query(judgedSql(typeof promise === 'object' ? promise.withinMs : promise === true, secondCopy));
    const rows = await history.query<CopyRow>(COPIES_SQL);
    const counts: Record<string, number> = { inputEvents: inputs };
    // Extra copies where exactly-once was promised fail; elsewhere they are counted.
    const failing: string[] = [];
    const counted: string[] = [];
    const examples: unknown[] = [];
    for (const r of rows) {
      counts[`${r.copy}: events`] = r.events;
      counts[`${r.copy}: extra copies`] = r.extra;
      if (secondCopy) counts[`${r.copy}: in both copies (explained)`] = r.explained;
      if (r.duplicated > 0) {
        const promised = copyExactlyOnce(r.copy, declared, exactlyOnce);
        (promised ? failing : counted).push(`${r.copy}: ${r.duplicated} events with ${r.extra} extra copies`);
        examples.push(...(r.examples ?? []).map((e) => ({ copy: r.copy, ...(e as object) })));
      }
    }
    for (const { source, spec } of declared ? declaredAggregates(declared) : []) {
      if (spec.emission !== 'final') continue;
      await history.query(emittedSql(spec, source));
      const [a] = await history.query<{ keys: number; repeated: number; explained: number; examples: unknown[] | null }>(repeatsSql(secondCopy));
      if (secondCopy) counts[`${source}: keys emitted in both copies (explained)`] = a!.explained;
      counts[`${source}: keys`] = a!.keys;
      counts[`${source}: repeated keys`] = a!.repeated;
      if (a!.repeated > 0) {
        const promised = exactlyOnceAt(declared!, source);
        (promised ? failing : counted).push(`${source}: ${a!.repeated} keys emitted more than once`);
        examples.push(...(a!.examples ?? []).map((e) => ({ copy: source, ...(e as object) })));
      }
    }
    // A Delta sink's log names the streaming batch (txn appId, version) of each commit: one batch in
    // two commits is a batch written twice, whatever its rows look like (sink-reader.ts stores the history).
    const meta = declared?.sinks.some((s) => s.kind === 'delta') ? await history.meta() : {};
    for (const sink of declared?.sinks.filter((s) => s.kind === 'delta') ?? []) {
      const twice = (meta[`sink.${sink.name}.delta-history`] as { writtenTwice?: { appId: string; version: number; commits: number[] }[] } | undefined)?.writtenTwice;
      if (twice === undefined) continue;
      const source = sinkTopic(sink.name);
      counts[`${source}: batches written twice`] = twice.length;
      if (twice.length === 0) continue;
      (exactlyOnceAt(declared!, source) ? failing : counted).push(`${source}: ${twice.length} streaming batches committed twice`);
      examples.push(...twice.slice(0, MAX_EXAMPLES).map((t) => ({ copy: source, txnAppId: t.appId, txnVersion: t.version, commits: t.commits })));
    }
    // Totals the `duplicates` SLA reads (harness/run/sla.ts): events (and aggregate keys) with an extra copy anywhere.
    counts.duplicatedEvents = rows.reduce((n, r) => n + r.duplicated, 0) + Object.entries(counts).filter(([k]) => k.endsWith(': repeated keys')).reduce((n, [, v]) => n + v, 0);
    counts.extraCopies = rows.reduce((n, r) => n + r.extra, 0);
    const places = rows.map((r) => `${r.copy} (${r.events})`).join(', ') || 'no copies';
    const allowed = counted.length > 0 ? `not exactly-once (allowed, counted): ${counted.join('; ')}` : '';
    if (failing.length > 0) return checkResult('duplicates', false, [`exactly-once promised: ${failing.join('; ')}`, allowed].filter(Boolean).join('; '), counts, examples);
    if (allowed) return checkResult('duplicates', true, allowed, counts, examples);
    return checkResult('duplicates', rows.length === 0 ? 'unknown' : true, rows.length === 0 ? 'no output carries an input event id' : `no extra copies of ${inputs} input events in ${places}`, counts);
  },
};
