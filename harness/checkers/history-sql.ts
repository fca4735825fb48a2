/**
 * SQL fragments the checkers share, over the history tables (docs/history-schema.md) and the
 * conventions of docs/checkers.md. Expressions are meant for `observed` (or `sends`) rows.
 */
import { idExpression } from './output-identity.ts';

/** The record value as text: UTF-8 when it decodes, else DuckDB's escaped form (ASCII still matches). */
export const VALUE_TEXT = `coalesce(TRY(decode(value)), value::VARCHAR)`;

/**
 * The event id of an observed record: the `sp-event-id` header the SUT carries from its input
 * (typed in `hdr_event_id`: harness-headers.ts), else an `event_id` field of a JSON value.
 * COALESCE evaluates the value's JSON only for rows without the header.
 */
export const EVENT_ID = idExpression([]);

/** The DLQ reason header. */
export const DLQ_REASON = 'hdr_dlq_reason';

/** Input partition and offset from the `sp-source` header (NULL when absent or malformed). */
export const SOURCE_PARTITION = 'hdr_source_partition';
export const SOURCE_OFFSET = 'hdr_source_offset';

/** The `sp-send-ts` header (invoke time of the send, epoch µs). */
export const SEND_TS = 'hdr_send_us';

/** Roles whose records account for an input event. */
export const RESULT_ROLES = `('records', 'dlq', 'late')`;

/** `'a', 'b'` as a SQL list body of string literals (small fixed lists; quotes doubled). Give it at least one value: `IN ()` is a syntax error. */
export function sqlStrings(values: readonly string[]): string {
  return values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
}

/** Positions for examples: `topic/partition/offset`. */
export const POSITION = `topic || '/' || partition || '/' || "offset"`;
