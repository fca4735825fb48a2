/**
 * The `inputs` view oracles are written against: one row per distinct input event, as read
 * back from the input topics themselves (role `input`, the final scan), never inferred from
 * what the SUT wrote. Columns (docs/sut-contract.md, "The inputs view"):
 *
 * - every top-level field of the JSON values, typed by DuckDB's json_group_structure;
 * - sp_event_id, sp_topic, sp_partition, sp_offset (its first copy), sp_key, sp_value (text),
 *   sp_copies (copies in the input topics; of one site in a failover drill), sp_send_us (first send's invoke time),
 *   sp_truth (the workload's label: valid, late, duplicate, ...; 'unknown' when the harness did not
 *   send it), sp_event_time_ms (the workload's event time, else the record timestamp).
 *
 * Poison inputs (truth 'poison') and values that are not JSON objects are not in `inputs`;
 * `all_inputs` has every event with the sp_ columns only. The macro
 * `sp_window_start(t, size)` is the epoch-aligned tumbling window start Kafka Streams, Spark and
 * Flink use.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { DR_OFFSET_BASE } from '../drill/drill-meta.ts';
import { EVENT_ID } from './history-sql.ts';
import { jsonStructureOf } from './json-structure.ts';
import { readOnce } from './read-once.ts';


/**
 * A record read twice is one copy: grouped by its position (two integers hashed, not the value), unless none was
 * (read-once.ts). Each event's first copy is found by position alone and its key and value read after, by a join:
 * no value rides through the grouping's hash table (10M values: ~3 GB).
 */
const EVENTS = (once: boolean) => {
  const records = once
    ? `(SELECT topic, partition, "offset", key, value, hdr_event_id, kafka_ts_ms FROM observed WHERE role = 'input')`
    : `(SELECT topic, partition, "offset", any_value(key) AS key, any_value(value) AS value, any_value(hdr_event_id) AS hdr_event_id, any_value(kafka_ts_ms) AS kafka_ts_ms
        FROM observed WHERE role = 'input' GROUP BY topic, partition, "offset")`;
  return `
CREATE OR REPLACE TEMP TABLE sp_events AS
SELECT *, ${PARSEABLE} AS ${OBJECT} FROM (
WITH copies AS (
  SELECT topic, partition, "offset", kafka_ts_ms, coalesce(${EVENT_ID}, topic || '/' || partition || '/' || "offset") AS event_id
  FROM ${records}),
firsts AS (
  SELECT event_id, arg_min({'topic': topic, 'partition': partition, 'offset': "offset", 'ts': kafka_ts_ms}, (partition, "offset")) AS f,
    -- A failover drill's DR input holds mirrored copies: the copies of one site count (drill-meta.ts).
    greatest(count(*) FILTER (WHERE "offset" < ${DR_OFFSET_BASE}), count(*) FILTER (WHERE "offset" >= ${DR_OFFSET_BASE})) AS n
  FROM copies GROUP BY event_id),
sent AS (
  SELECT event_id, min(invoke_us) AS send_us, arg_min(truth, send_id) AS truth, arg_min(event_time_ms, send_id) AS t
  FROM sends GROUP BY event_id)
SELECT f.event_id AS sp_event_id, f.f.topic AS sp_topic, f.f.partition AS sp_partition, f.f."offset" AS sp_offset,
  r.key AS sp_key, TRY(decode(r.value)) AS sp_value, f.n AS sp_copies, s.send_us AS sp_send_us, coalesce(s.truth, 'unknown') AS sp_truth,
  coalesce(s.t, f.f.ts) AS sp_event_time_ms
FROM firsts f LEFT JOIN sent s USING (event_id)
JOIN ${records} r ON r.topic = f.f.topic AND r.partition = f.f.partition AND r."offset" = f.f."offset")`;
};

/** The columns of `all_inputs`. */
const SP_COLUMNS = ['sp_event_id', 'sp_topic', 'sp_partition', 'sp_offset', 'sp_key', 'sp_value', 'sp_copies', 'sp_send_us', 'sp_truth', 'sp_event_time_ms'];
/** Whether an event is in `parsed_inputs` (PARSEABLE), a column of the one table both views read. */
const OBJECT = '"__sp_object"';

/**
 * Inputs that are JSON objects. `TRY(json_type(x))` is one parse where `json_valid(x) AND
 * json_type(json(x))` was three (a parse, a parse and serialisation, a parse): the same rows
 * (inputs-view.test.ts holds them together on edge cases). A CASE, not an AND: as a column,
 * an AND evaluates both sides on every row, and a TRY that fails in a chunk (on a poison value,
 * in every chunk) evaluates that chunk row by row (10 s of 25 at 10M events).
 */
const PARSEABLE = `CASE WHEN sp_truth <> 'poison' AND sp_value IS NOT NULL THEN coalesce(TRY(json_type(sp_value)) = 'OBJECT', false) ELSE false END`;

/**
 * Creates `all_inputs`, `parsed_inputs` (views of one table, `sp_inputs`) and the macro on the
 * reader's connection (temporary objects: the history file is not changed), and `inputs` over `filter` (a SQL condition on
 * parsed_inputs, default every event). Returns the number of rows in `all_inputs`.
 */
export async function createInputsView(history: HistoryReader): Promise<number> {
  return (await build(history)).count;
}

/** The JSON structure of the parsed inputs (json_group_structure), for field-level checkers; null when none parsed. */
export async function inputsStructure(history: HistoryReader): Promise<unknown> {
  return (await build(history)).structure;
}

interface Built {
  count: number;
  structure: unknown;
}

// Built once per reader (the checkers of one judgement share it); later calls only reset `inputs`.
const builtFor = new WeakMap<HistoryReader, Built>();

async function build(history: HistoryReader): Promise<Built> {
  const built = builtFor.get(history);
  if (built !== undefined) {
    await selectInputs(history);
    return built;
  }
  await history.query('CREATE OR REPLACE TEMP MACRO sp_window_start(t, size) AS CAST(floor(t / size) AS BIGINT) * size');
  await history.query(EVENTS(await readOnce(history, `role = 'input'`)));
  // The objects' structure from one value per distinct shape (json-structure.ts), then each object parsed into its fields,
  // in one table with every event that both views read: at 10M events the texts alone are ~3 GB, so they are held once.
  const structure = await jsonStructureOf(history, 'sp_value', 'sp_events', { where: OBJECT });
  const fields = structure ? `, unnest(CASE WHEN ${OBJECT} THEN from_json(sp_value, '${structure.replaceAll("'", "''")}') END)` : '';
  // A table, not a view: the oracles and field checkers read it several times, and parsing is the cost.
  await history.query(`CREATE OR REPLACE TEMP TABLE sp_inputs AS SELECT *${fields} FROM sp_events`);
  await history.query('DROP TABLE sp_events');
  await history.query(`CREATE OR REPLACE TEMP VIEW all_inputs AS SELECT ${SP_COLUMNS.join(', ')} FROM sp_inputs`);
  await history.query(`CREATE OR REPLACE TEMP VIEW parsed_inputs AS SELECT * EXCLUDE (${OBJECT}) FROM sp_inputs WHERE ${OBJECT}`);
  await selectInputs(history);
  const [count] = await history.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM all_inputs');
  const result = { count: count?.n ?? 0, structure: structure ? (JSON.parse(structure) as unknown) : null };
  builtFor.set(history, result);
  return result;
}

/** Points `inputs` at the parsed events that satisfy `condition` (SQL over parsed_inputs' columns). */
export async function selectInputs(history: HistoryReader, condition = 'true'): Promise<void> {
  await history.query(`CREATE OR REPLACE TEMP VIEW inputs AS SELECT * FROM parsed_inputs WHERE ${condition}`);
}
