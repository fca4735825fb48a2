/**
 * How each appended table's prepared rows become Appender data chunks: one named cell per
 * column, in table order (see history-schema.ts). Rows were validated by row-validation.ts,
 * so nothing here should throw part-way through a batch.
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

/** A table column's name and how to take its value from a row. */
export type Column<R> = readonly [name: string, cell: Cell<R>];


const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const blob = (value: Uint8Array | null | undefined) => (value == null ? null : new DuckDBBlobValue(value));

/** The `sends` columns as journal cells: BLOB columns give their bytes (not yet wrapped for DuckDB). */
export const SEND_COLUMNS: Column<PreparedSend>[] = [
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
  ['value', (r) => r.value as unknown as DuckDBBlobValue],
  ['truth', (r) => r.truth],
  ['truth_detail', (r) => r.truthDetail],
  ['event_time_ms', (r) => orNull(r.eventTimeMs)],
  ['schema_id', (r) => orNull(r.schemaId)],
  ['wire', (r) => orNull(r.wire) as unknown as DuckDBBlobValue | null],
];
const SEND_CELLS = SEND_COLUMNS.map(([, cell]) => cell);

/** A send as a journal row (journal-frame.ts). */
export function sendJournalRow(row: PreparedSend): JournalRow {
  const cells = new Array<unknown>(SEND_CELLS.length);
  for (let c = 0; c < SEND_CELLS.length; c++) cells[c] = SEND_CELLS[c]!(row, 0);
  return cells;
}

const OBSERVED_COLUMNS: Column<PreparedObserved>[] = [
  ['role', (r) => r.role],
  ['topic', (r) => r.topic],
  ['partition', (r) => r.partition],
  ['offset', (r) => r.offset],
  ['key', (r) => orNull(r.key)],
  ['value', (r) => blob(r.value)],
  ['headers', (r) => r.headers],
  ['observed_us', (r) => r.observedUs],
  ['kafka_ts_ms', (r) => orNull(r.kafkaTsMs)],
  ['schema_id', (r) => orNull(r.schemaId)],
];

const METRIC_COLUMNS: Column<PreparedMetric>[] = [
  ['ts_us', (r) => r.tsUs],
  ['name', (r) => r.name],
  ['labels', (r) => r.labels],
  ['value', (r) => r.value],
];

function rowsWriter<R>(appender: DuckDBAppender, columns: readonly Column<R>[]): RowsWriter<R> {
  const writer = new ChunkWriter(appender, columns.map(([, cell]) => cell));
  return (target, rows) => writer.append(target, rows);
}

/** Journal rows into a table shaped like `sends` (the appender's column types say which cells are bytes). */
export function journalRowsWriter(appender: DuckDBAppender): RowsWriter<JournalRow> {
  const cells: Cell<JournalRow>[] = [];
  for (let c = 0; c < appender.columnCount; c++) {
    cells.push(appender.columnType(c) instanceof DuckDBBlobType ? (r) => blob(r[c] as Uint8Array | null) : (r) => r[c] as never);
  }
  return rowsWriter(appender, cells.map((cell, c) => [String(c), cell] as const));
}
export const observedWriter = (appender: DuckDBAppender) => rowsWriter(appender, OBSERVED_COLUMNS);
export const metricsWriter = (appender: DuckDBAppender) => rowsWriter(appender, METRIC_COLUMNS);
