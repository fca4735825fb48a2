/**
 * The harness's own headers (docs/sut-contract.md): the workload sets `sp-event-id` and
 * `sp-send-ts` on every send; a SUT carries them onto its outputs and may add `sp-source`
 * (`topic/partition/offset` of the input) and `sp-dlq-reason`. The history keeps them typed in
 * columns of `observed` (`hdr_*`), derived once when a record is recorded, so the checkers never
 * re-parse the headers' JSON: a 10M-event run has ~40M observed rows, and extracting a header
 * from JSON cost more than the whole judgement it fed (docs/checkers.md, "Speed").
 *
 * The same derivation exists in SQL (`TYPED_HEADER_COLUMNS`) for histories written before the
 * columns existed: the writer's migration fills them and a reader of an old file computes them
 * in a view. A test holds the two to the same answers.
 */

export const EVENT_ID_HEADER = 'sp-event-id';
export const SEND_TS_HEADER = 'sp-send-ts';
export const SOURCE_HEADER = 'sp-source';
export const DLQ_REASON_HEADER = 'sp-dlq-reason';

export interface TypedHeaders {
  hdrEventId: string | null;
  hdrSendUs: number | null;
  hdrSourcePartition: number | null;
  hdrSourceOffset: number | null;
  hdrDlqReason: string | null;
}

const INT32_MAX = 2 ** 31 - 1;

/** A header's text as `json_extract_string` gives it: strings as they are, other JSON as its text. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An integer as DuckDB's TRY_CAST reads one (surrounding spaces allowed), else null. */
function integer(value: string | null | undefined, max: number): number | null {
  if (value == null || !/^\s*[-+]?\d+\s*$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && Math.abs(n) <= max ? n : null;
}

/** The typed columns of a record's headers (`{ name: value }`, as the observer records them). */
export function typedHeaders(headers: unknown): TypedHeaders {
  const h = headers !== null && typeof headers === 'object' && !Array.isArray(headers) ? (headers as Record<string, unknown>) : {};
  const source = text(h[SOURCE_HEADER])?.split('/');
  return {
    hdrEventId: text(h[EVENT_ID_HEADER]),
    hdrSendUs: integer(text(h[SEND_TS_HEADER]), Number.MAX_SAFE_INTEGER),
    hdrSourcePartition: source && source.length >= 2 ? integer(source[source.length - 2], INT32_MAX) : null,
    hdrSourceOffset: source && source.length >= 2 ? integer(source[source.length - 1], Number.MAX_SAFE_INTEGER) : null,
    hdrDlqReason: text(h[DLQ_REASON_HEADER]),
  };
}

const header = (name: string) => `json_extract_string(headers, '$."${name}"')`;

/** The typed columns, in table order, with their SQL derivation from a row's `headers` JSON. */
export const TYPED_HEADER_COLUMNS: readonly { name: string; type: string; sql: string }[] = [
  { name: 'hdr_event_id', type: 'VARCHAR', sql: header(EVENT_ID_HEADER) },
  { name: 'hdr_send_us', type: 'BIGINT', sql: `TRY_CAST(${header(SEND_TS_HEADER)} AS BIGINT)` },
  { name: 'hdr_source_partition', type: 'INTEGER', sql: `TRY_CAST(string_split(${header(SOURCE_HEADER)}, '/')[-2] AS INTEGER)` },
  { name: 'hdr_source_offset', type: 'BIGINT', sql: `TRY_CAST(string_split(${header(SOURCE_HEADER)}, '/')[-1] AS BIGINT)` },
  { name: 'hdr_dlq_reason', type: 'VARCHAR', sql: header(DLQ_REASON_HEADER) },
];
