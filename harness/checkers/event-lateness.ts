/**
 * Which input events a SUT may legitimately have dropped as late, under its declared window
 * model (docs/checkers.md, "aggregates"). Every model drops an event when
 * `window end + grace <= T`, where T is the event time the model has reached when it processes
 * the event: the per-partition minimum of the maximum (Flink, the reference), the global maximum
 * (Spark, minus its delay = grace), or the task's stream time (Kafka Streams). In each, T is at
 * most the largest event time of the inputs the SUT had read by then.
 *
 * Upper bound (sound for every model): an event was processed no later than the first moment an
 * output carrying its id was seen live, so T <= ub = max event time of the inputs first sent
 * before that moment. An event with several copies in the input (a re-send may come tens of
 * seconds later, when T has moved on) is bounded by its last output, and only when it has an
 * output per copy. The whole input's maximum when no such output exists (and, for a SUT without
 * exactly-once, when it was first seen before the last SUT process fault healed: it may have
 * been processed again later). window end + grace > ub: certainly on time.
 * Lower bound (only while no SUT process fault could have reset the model's time): an event whose
 * output was seen before e was even sent had been processed before e. Per-partition-min:
 * T >= the minimum over input partitions of the largest such event time in each (and, with one
 * partition, of every lower offset); global-max-minus-delay: T >= the largest such event time.
 * Stream time per task has none (which task an event feeds is not visible). window end + grace
 * <= lb: certainly late.
 * Anything else is in doubt: the SUT may have counted it or not.
 *
 * Creates the temp table `event_class` (sp_event_id, t, wend, ub, lb, class) on the reader's
 * connection; needs the inputs view (inputs-view.ts).
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { WindowModel } from '../sut/sut-config.ts';
import type { IdentityByTopic } from './output-identity.ts';
import { eventIdFor } from './declared-sut.ts';

export interface LatenessSummary {
  ontime: number;
  doubt: number;
  late: number;
  /** Events with no live output sighting: their bound is the whole input's maximum. */
  unseen: number;
  /** The model gives a lower bound on its time (so some events can be certainly late). */
  lowerBound: boolean;
}

/** Units (input partitions) up to which the lower bound is one step function with a column per unit; past it, a join per unit. */
const MAX_NAMED_UNITS = 64;

/** `maxNamedUnits`: past how many units the lower bound takes its join per unit (event-lateness.test.ts holds both ways together). */
export async function classifyEvents(history: HistoryReader, window: WindowModel, identities: readonly IdentityByTopic[], reprocessable = false, maxNamedUnits = MAX_NAMED_UNITS): Promise<LatenessSummary> {
  // `late` and `aggregates` ask the same question of one judgement: the table is built once per question.
  const question = JSON.stringify([window, identities, reprocessable, maxNamedUnits]);
  const last = lastBuilt.get(history);
  if (last?.question === question) return last.summary;
  const summary = await classify(history, window, identities, reprocessable, maxNamedUnits);
  lastBuilt.set(history, { question, summary });
  return summary;
}

/** The question `event_class` was last built for, per reader, and its answer. */
const lastBuilt = new WeakMap<HistoryReader, { question: string; summary: LatenessSummary }>();

/**
 * The lower bound before each moment: for every unit, the largest event time among its events
 * whose output was seen by then (all of them: ties in time included), and their minimum once
 * every unit has one. With named units (`steps`): one running maximum per unit over every sighting
 * in time order, which each event meets by one as-of join; otherwise (`lbs`) each event is joined
 * with each unit's sightings and grouped again (4x the rows: 20 s of 25 at 10M events).
 */
function lbsSql(units: readonly number[] | undefined, unit: string): string {
  if (units === undefined) {
    return `processed AS (
  SELECT ${unit} AS p, seen_us, max(t) OVER (PARTITION BY ${unit} ORDER BY seen_us ROWS UNBOUNDED PRECEDING) AS mx
  FROM ev WHERE seen_us IS NOT NULL),
units AS (SELECT DISTINCT ${unit} AS p FROM ev),
per_unit AS (
  SELECT e.sp_event_id, q.p, pr.mx FROM ev e CROSS JOIN units q ASOF LEFT JOIN processed pr ON pr.p = q.p AND e.send_us > pr.seen_us),
lbs AS (SELECT sp_event_id, CASE WHEN bool_and(mx IS NOT NULL) THEN min(mx) END AS lb FROM per_unit GROUP BY 1),`;
  }
  const m = units.map((_, i) => `m${i}`);
  return `running AS (
  SELECT seen_us, ${units.map((u, i) => `max(CASE WHEN ${unit} = ${u} THEN t END) OVER (ORDER BY seen_us RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS m${i}`).join(',\n    ')}
  FROM ev WHERE seen_us IS NOT NULL),
steps AS (SELECT seen_us, CASE WHEN ${m.map((c) => `${c} IS NOT NULL`).join(' AND ')} THEN least(${m.join(', ')}) END AS lb FROM running),`;
}

async function classify(history: HistoryReader, window: WindowModel, identities: readonly IdentityByTopic[], reprocessable: boolean, maxNamedUnits: number): Promise<LatenessSummary> {
  const [shape] = await history.query<{ partitions: number; sut_faults: number }>(`
    SELECT (SELECT count(DISTINCT (sp_topic, sp_partition)) FROM parsed_inputs)::INTEGER AS partitions,
      (SELECT count(*) FROM faults WHERE starts_with(type, 'sut.'))::INTEGER AS sut_faults`);
  // A downstream stage (Spark's gold reading the silver table) may take an event in the same batch
  // as events whose records output was seen before it was sent: their time need not have moved its watermark yet.
  const bounded = window.watermark !== 'stream-time-per-task' && window.stage !== 'downstream' && shape!.sut_faults === 0;
  const perPartition = window.watermark === 'per-partition-min';
  const { sizeMs: w, graceMs: g } = window;
  // The units the lower bound takes a minimum over (input partitions, or one), named when few enough for a column each.
  const named = perPartition
    ? (await history.query<{ p: number }>('SELECT DISTINCT sp_partition AS p FROM parsed_inputs WHERE sp_event_time_ms IS NOT NULL ORDER BY p')).map((r) => r.p)
    : [0];
  const units = named.length > 0 && named.length <= maxNamedUnits && named.every(Number.isInteger) ? named : undefined;
  // Without exactly-once, a SUT process fault can make the SUT process an event again later (its
  // state and its offsets are not committed together), at a time no output shows: an event first
  // seen before the last SUT fault healed gets no upper bound.
  const reprocessedUntil = reprocessable ? "coalesce((SELECT max(coalesce(heal_us, start_us)) FROM faults WHERE starts_with(type, 'sut.')), -1)" : '-1';
  const lowerBound = !bounded ? 'NULL::BIGINT' : perPartition
    ? `greatest(l.lb, ${shape!.partitions === 1 ? 'max(e.t) OVER (PARTITION BY e.sp_partition ORDER BY e.sp_offset ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)' : 'NULL'})`
    : 'l.lb';
  await history.query(`
CREATE OR REPLACE TEMP TABLE event_class AS
WITH seen AS (
  SELECT ${await eventIdFor(history, identities, `ends_with(role, '-live')`)} AS event_id, min(observed_us) AS first_us, max(observed_us) AS last_us,
    count(DISTINCT (topic, partition, "offset")) AS outputs
  FROM observed WHERE ends_with(role, '-live') GROUP BY 1),
ev AS (
  SELECT p.sp_event_id, p.sp_event_time_ms AS t, p.sp_send_us AS send_us, p.sp_partition, p.sp_offset,
    CASE WHEN p.sp_copies <= 1 THEN s.first_us WHEN s.outputs >= p.sp_copies THEN s.last_us END AS seen_us,
    sp_window_start(p.sp_event_time_ms, ${w}) + ${w} AS wend
  FROM parsed_inputs p LEFT JOIN seen s ON s.event_id = p.sp_event_id WHERE p.sp_event_time_ms IS NOT NULL),
sent AS (SELECT send_us, max(t) OVER (ORDER BY send_us ROWS UNBOUNDED PRECEDING) AS mx FROM ev WHERE send_us IS NOT NULL),
${lbsSql(units, perPartition ? 'sp_partition' : '0')}
bounded AS (
  SELECT e.*, CASE WHEN e.seen_us IS NULL OR e.seen_us < ${reprocessedUntil} THEN (SELECT max(t) FROM ev) ELSE greatest(s.mx, e.t) END AS ub,
    ${lowerBound} AS lb
  FROM ev e ASOF LEFT JOIN sent s ON e.seen_us >= s.send_us ${units === undefined ? 'LEFT JOIN lbs l ON l.sp_event_id = e.sp_event_id' : 'ASOF LEFT JOIN steps l ON e.send_us > l.seen_us'})
SELECT sp_event_id, t, wend, ub, lb, seen_us IS NULL AS unseen,
  CASE WHEN lb IS NOT NULL AND wend + ${g} <= lb THEN 'late' WHEN wend + ${g} > ub THEN 'ontime' ELSE 'doubt' END AS class
FROM bounded`);
  const [row] = await history.query<{ ontime: number; doubt: number; late: number; unseen: number }>(`
    SELECT count(*) FILTER (WHERE class = 'ontime')::INTEGER AS ontime, count(*) FILTER (WHERE class = 'doubt')::INTEGER AS doubt,
      count(*) FILTER (WHERE class = 'late')::INTEGER AS late, count(*) FILTER (WHERE unseen)::INTEGER AS unseen FROM event_class`);
  return { ...row!, lowerBound: bounded };
}
