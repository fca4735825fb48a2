/**
 * conservation: every input event ends in exactly one place. A valid input (truth valid or
 * late, and the events deliberate duplicates repeat) in exactly one of output, DLQ (with an
 * `sp-dlq-reason` header) or late; a poison input in the DLQ with a reason. Reported by class:
 *
 * - in-none: acknowledged, in no place (also counted by `lost`)
 * - in-several: in two or more of output / DLQ / late (copies within one place are `duplicates`);
 *   under bounded dedupe (`dedupesResends: { withinMs }`) one more place per re-send sent beyond
 *   the horizon (far-resends.ts: the SUT may have forgotten the id, and routes the re-send as late)
 * - valid-in-dlq: a valid input in the DLQ (unless its reason is in params.acceptedDlqReasons)
 * - poison-in-output: a poison input in output or late
 * - poison-not-in-dlq: an acknowledged poison input with no DLQ record
 * - dlq-without-reason: a DLQ record of an input without an `sp-dlq-reason` header
 *
 * in-none and poison-not-in-dlq need an acknowledged send; the other classes apply to any
 * input that appears (an `info` send that shows up was written). Inputs of other truths are
 * only counted, as are results whose event id matches no send.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, MAX_EXAMPLES, type Checker, type CheckResult } from './checker.ts';
import { DLQ_REASON, RESULT_ROLES, sqlStrings } from './history-sql.ts';
import { eventIdFor, identitiesOf } from './declared-sut.ts';
import { farResendsCte } from './far-resends.ts';
import { DR_OFFSET_BASE, failoverMetaOf, RPO_LOST_SQL, secondCopyExplained } from '../drill/drill-meta.ts';

export const CONSERVATION_CLASSES = [
  'in-none', 'in-several', 'valid-in-dlq', 'poison-in-output', 'poison-not-in-dlq', 'dlq-without-reason',
] as const;
export type ConservationClass = (typeof CONSERVATION_CLASSES)[number];

interface Row {
  inputs: number;
  checked: number;
  other_truth: number;
  unmatched: number;
  in_none: number;
  in_several: number;
  valid_in_dlq: number;
  poison_in_output: number;
  poison_not_in_dlq: number;
  dlq_without_reason: number;
  examples: { class: string }[] | null;
}

/**
 * `drill`: a failover drill's events lost with the primary site (its RPO) are expected nowhere.
 * `secondCopy`: a drill's explained second copy of the output (drill-meta.ts) is its own world: an
 * event is in several places only when one copy puts it in several (silver on the primary and
 * late on the DR site, where a rewind made it late, is a re-read, not a split).
 */
function eventsSql(acceptedReasons: readonly string[], id: string, drill: boolean, secondCopy: boolean, withinMs: number | null): string {
  const places = (copy: string) => `(bool_or(role = 'records' AND ${copy})::INT + bool_or(role = 'late' AND ${copy})::INT + bool_or(role = 'dlq' AND ${copy})::INT)`;
  const unaccepted = acceptedReasons.length === 0 ? 'true' : `reason NOT IN (${sqlStrings(acceptedReasons)})`;
  return `
CREATE OR REPLACE TEMP TABLE conservation_events AS
WITH ${drill ? `rpo AS (${RPO_LOST_SQL}),` : ''} ${withinMs === null ? '' : farResendsCte(withinMs)} obs AS (
  SELECT role, ${id} AS event_id, ${DLQ_REASON} AS reason, "offset" >= ${DR_OFFSET_BASE} AS second FROM observed WHERE role IN ${RESULT_ROLES}),
seen AS (
  SELECT event_id, bool_or(role = 'records') AS in_output, bool_or(role = 'late') AS in_late, bool_or(role = 'dlq') AS in_dlq,
    ${secondCopy ? `greatest(${places('NOT second')}, ${places('second')})` : places('true')} AS places,
    bool_or(role = 'dlq' AND reason IS NULL) AS dlq_no_reason,
    bool_or(role = 'dlq' AND reason IS NOT NULL AND ${unaccepted}) AS dlq_unaccepted,
    min(reason) FILTER (WHERE role = 'dlq') AS reason
  FROM obs WHERE event_id IS NOT NULL GROUP BY event_id),
ev AS (
  SELECT event_id, bool_or(outcome = 'ok') AS acked, min(send_id) AS first_send,
    CASE WHEN bool_or(truth = 'poison') THEN 'poison'
         WHEN bool_and(truth IN ('valid', 'late', 'duplicate')) THEN 'valid' ELSE 'other' END AS class,
    array_to_string(list_sort(list_distinct(list(truth))), ',') AS truths
  FROM sends GROUP BY event_id),
j AS (
  SELECT ev.*, ev.event_id IS NULL AS unmatched, coalesce(in_output, false) AS o, coalesce(in_late, false) AS l, coalesce(in_dlq, false) AS d, coalesce(places, 0) >= 2 + ${withinMs === null ? '0' : 'coalesce(far.far, 0)'} AS several,
    coalesce(dlq_no_reason, false) AS dnr, coalesce(dlq_unaccepted, false) AS du, reason
  FROM ev FULL JOIN seen USING (event_id) ${withinMs === null ? '' : 'LEFT JOIN far USING (event_id)'}),
c AS (
  SELECT *,
    class = 'valid' AND acked AND NOT (o OR l OR d) ${drill ? 'AND event_id NOT IN (SELECT event_id FROM rpo)' : ''} AS in_none,
    class = 'valid' AND several AS in_several,
    class = 'valid' AND du AS valid_in_dlq,
    class = 'poison' AND (o OR l) AS poison_in_output,
    class = 'poison' AND acked AND NOT d AS poison_not_in_dlq,
    class <> 'other' AND dnr AS dlq_without_reason
  FROM j)
SELECT * FROM c`;
}

/** Counts and examples per class, from `conservation_events`. */
const COUNTS_SQL = `
WITH c AS (SELECT * FROM conservation_events),
flagged AS (
  SELECT *, list_filter([CASE WHEN in_none THEN 'in-none' END, CASE WHEN in_several THEN 'in-several' END,
      CASE WHEN valid_in_dlq THEN 'valid-in-dlq' END, CASE WHEN poison_in_output THEN 'poison-in-output' END,
      CASE WHEN poison_not_in_dlq THEN 'poison-not-in-dlq' END, CASE WHEN dlq_without_reason THEN 'dlq-without-reason' END],
      x -> x IS NOT NULL) AS classes
  FROM c WHERE in_none OR in_several OR valid_in_dlq OR poison_in_output OR poison_not_in_dlq OR dlq_without_reason),
bad AS (
  SELECT first_send, {'class': cls, 'event_id': event_id, 'truth': truths, 'acked': acked,
    'places': list_filter([CASE WHEN o THEN 'records' END, CASE WHEN l THEN 'late' END, CASE WHEN d THEN 'dlq' END], x -> x IS NOT NULL),
    'dlq_reason': reason} AS example,
    row_number() OVER (PARTITION BY cls ORDER BY first_send) AS rank
  FROM (SELECT *, unnest(classes) AS cls FROM flagged))
SELECT count(*) FILTER (WHERE NOT unmatched) AS inputs,
  count(*) FILTER (WHERE NOT unmatched AND class <> 'other') AS checked,
  count(*) FILTER (WHERE NOT unmatched AND class = 'other') AS other_truth,
  count(*) FILTER (WHERE unmatched) AS unmatched,
  count(*) FILTER (WHERE in_none) AS in_none,
  count(*) FILTER (WHERE in_several) AS in_several,
  count(*) FILTER (WHERE valid_in_dlq) AS valid_in_dlq,
  count(*) FILTER (WHERE poison_in_output) AS poison_in_output,
  count(*) FILTER (WHERE poison_not_in_dlq) AS poison_not_in_dlq,
  count(*) FILTER (WHERE dlq_without_reason) AS dlq_without_reason,
  (SELECT to_json(list(example ORDER BY rank, first_send)[1:${MAX_EXAMPLES}]) FROM bad WHERE rank <= 2) AS examples
FROM c`;


/**
 * Classes a declared SUT did not promise: poison handling without `poisonToDlq`, a DLQ reason
 * without a DLQ. They are still counted, never failed. (Without a declaration: all judged.)
 */
function unpromised(params: CheckerParams): ConservationClass[] {
  const sut = params.declared;
  if (!sut) return [];
  const out: ConservationClass[] = [];
  if (sut.promises.poisonToDlq !== true) out.push('poison-in-output', 'poison-not-in-dlq');
  if (!sut.topics.outputs.some((o) => o.role === 'dlq')) out.push('dlq-without-reason', 'valid-in-dlq');
  return out;
}

export const conservationChecker: Checker = {
  name: 'conservation',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const drill = (await failoverMetaOf(history)) !== undefined;
    const dedupe = params.declared?.promises.dedupesResends;
    const withinMs = typeof dedupe === 'object' ? dedupe.withinMs : null;
    await history.query(eventsSql(params.acceptedDlqReasons ?? [], await eventIdFor(history, identitiesOf(params.declared), `role IN ${RESULT_ROLES}`), drill, await secondCopyExplained(history), withinMs));
    const [r] = (await history.query<Row>(COUNTS_SQL)) as [Row];
    const byClass: Record<ConservationClass, number> = {
      'in-none': r.in_none,
      'in-several': r.in_several,
      'valid-in-dlq': r.valid_in_dlq,
      'poison-in-output': r.poison_in_output,
      'poison-not-in-dlq': r.poison_not_in_dlq,
      'dlq-without-reason': r.dlq_without_reason,
    };
    const counts = { inputs: r.inputs, checked: r.checked, otherTruth: r.other_truth, unmatchedResults: r.unmatched, ...byClass };
    const notPromised = unpromised(params);
    const violations = Object.entries(byClass).filter(([name, n]) => n > 0 && !notPromised.includes(name as ConservationClass));
    const notes = [
      r.other_truth > 0 ? `${r.other_truth} inputs of other truths not checked` : '',
      r.unmatched > 0 ? `${r.unmatched} result event ids match no send` : '',
    ].filter(Boolean).map((n) => `; ${n}`).join('');
    if (violations.length > 0) {
      const list = violations.map(([name, n]) => `${name} ${n}`).join(', ');
      return checkResult('conservation', false, `inputs not in exactly one place: ${list}${notes}`, counts, r.examples ?? []);
    }
    if (r.checked === 0) return checkResult('conservation', 'unknown', `no valid or poison input to check${notes}`, counts);
    return checkResult('conservation', true, `all ${r.checked} inputs in exactly one place${notes}`, counts);
  },
};
