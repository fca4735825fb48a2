/**
 * How each appended table's prepared rows become Appender data chunks: one cell per column,
 * in table order (see history-schema.ts). Rows were validated by row-validation.ts, so
 * nothing here should throw part-way through a batch.
 *
 * Sends are not appended while the writer is open: each becomes a journal row (one cell per
 * column, BLOB cells as bytes) in the send journal (send-journal.ts), and is appended from
 * there when the journal is folded (journal-fold.ts). The `sends` columns are checked
 * against these names when a writer opens.
 */
import { DuckDBBlobType, DuckDBBlobValue } from '@duckdb/node-api';
import type { DuckDBAppender } from '@duckdb/node-api';
import { ChunkWriter } from './chunk-writer.ts';
import type { Cell } from './chunk-writer.ts';
import type { JournalRow } from './journal-frame.ts';
import type { PreparedMetric, PreparedObserved, PreparedSend } from './row-validation.ts';
import type { RowsWriter } from './table-buffer.ts';

/** A `sends` column's name and how to take its journal cell from a row (BLOB columns: the bytes). */
export type SendColumn = readonly [name: string, cell: (row: PreparedSend) => unknown];

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const blob = (value: Uint8Array | null | undefined) => (value == null ? null : new DuckDBBlobValue(value));

export const SEND_COLUMNS: readonly SendColumn[] = [
  ['send_id', (r) => r.sendId],
  ['event_id', (r) => r.eventId],
  ['key', (r) => orNull(r.key)],
  ['topic', (r) => r.topic],
  ['partition', (r) => orNull(r.partition)],
  ['offset', (r) => orNull(r.offset)],
  ['outcome', (r) => r.outcome],
  ['error', (r) => orNull(r.error)],
  ['invoke_us', (r) => r.invokeUs],
  ['complete_us', (r) => orNull(r.completeUs)],
  ['value', (r) => r.value],
  ['truth', (r) => r.truth],
  ['truth_detail', (r) => r.truthDetail],
  ['event_time_ms', (r) => orNull(r.eventTimeMs)],
  ['schema_id', (r) => orNull(r.schemaId)],
  ['wire', (r) => orNull(r.wire)],
];
const SEND_CELLS = SEND_COLUMNS.map(([, cell]) => cell);

/** A send as a journal row (journal-frame.ts). */
export function sendJournalRow(row: PreparedSend): JournalRow {
  const cells = new Array<unknown>(SEND_CELLS.length);
  for (let c = 0; c < SEND_CELLS.length; c++) cells[c] = SEND_CELLS[c]!(row);
  return cells;
}

const OBSERVED_CELLS: Cell<PreparedObserved>[] = [
  (r) => r.role,
  (r) => r.topic,
  (r) => r.partition,
  (r) => r.offset,
  (r) => orNull(r.key),
  (r) => blob(r.value),
  (r) => r.headers,
  (r) => r.observedUs,
  (r) => orNull(r.kafkaTsMs),
  (r) => orNull(r.schemaId),
  // the typed harness headers, in TYPED_HEADER_COLUMNS' order
  (r) => r.hdrEventId,
  (r) => r.hdrSendUs,
  (r) => r.hdrSourcePartition,
  (r) => r.hdrSourceOffset,
  (r) => r.hdrDlqReason,
];

const METRIC_CELLS: Cell<PreparedMetric>[] = [
  (r) => r.tsUs,
  (r) => r.name,
  (r) => r.labels,
  (r) => r.value,
];

function rowsWriter<R>(appender: DuckDBAppender, cells: readonly Cell<R>[]): RowsWriter<R> {
  const writer = new ChunkWriter(appender, cells);
  return (target, rows) => writer.append(target, rows);
}

/** Journal rows into a table shaped like `sends` (the appender's column types say which cells are bytes). */
export function journalRowsWriter(appender: DuckDBAppender): RowsWriter<JournalRow> {
  const cells: Cell<JournalRow>[] = [];
  for (let c = 0; c < appender.columnCount; c++) {
    cells.push(appender.columnType(c) instanceof DuckDBBlobType ? (r) => blob(r[c] as Uint8Array | null) : (r) => r[c] as never);
  }
  return rowsWriter(appender, cells);
}
export const observedWriter = (appender: DuckDBAppender) => rowsWriter(appender, OBSERVED_CELLS);
export const metricsWriter = (appender: DuckDBAppender) => rowsWriter(appender, METRIC_CELLS);
