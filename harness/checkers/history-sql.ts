/**
 * SQL fragments the checkers share, over the history tables (docs/history-schema.md) and the
 * conventions of docs/checkers.md. Expressions are meant for `observed` (or `sends`) rows.
 */

/** The record value as text: UTF-8 when it decodes, else DuckDB's escaped form (ASCII still matches). */
export const VALUE_TEXT = `coalesce(TRY(decode(value)), value::VARCHAR)`;

const HEADER = (name: string) => `json_extract_string(headers, '$."${name}"')`;

/**
 * The event id of an observed record: the `sp-event-id` header the SUT carries from its input,
 * else an `event_id` field of a JSON value (for SUTs that do not carry headers).
 */
export const EVENT_ID = `coalesce(${HEADER('sp-event-id')}, CASE WHEN value IS NOT NULL AND json_valid(TRY(decode(value)))
  THEN json_extract_string(TRY(decode(value)), '$.event_id') END)`;

/** The DLQ reason header. */
export const DLQ_REASON = HEADER('sp-dlq-reason');

/** The `sp-source` header (`topic/partition/offset` of the input record the output came from). */
export const SOURCE = HEADER('sp-source');

/** Input partition and offset from `sp-source` (NULL when absent or malformed). Topic names cannot hold '/'. */
export const SOURCE_PARTITION = `TRY_CAST(string_split(${SOURCE}, '/')[-2] AS INTEGER)`;
export const SOURCE_OFFSET = `TRY_CAST(string_split(${SOURCE}, '/')[-1] AS BIGINT)`;

/** The `sp-send-ts` header (invoke time of the send, epoch µs). */
export const SEND_TS = `TRY_CAST(${HEADER('sp-send-ts')} AS BIGINT)`;

/** Roles whose records account for an input event. */
export const RESULT_ROLES = `('records', 'dlq', 'late')`;

/** `'a', 'b'` as a SQL list body of string literals (small fixed lists; quotes doubled). Give it at least one value: `IN ()` is a syntax error. */
export function sqlStrings(values: readonly string[]): string {
  return values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
}

/** Positions for examples: `topic/partition/offset`. */
export const POSITION = `topic || '/' || partition || '/' || "offset"`;
