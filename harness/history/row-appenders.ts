/**
 * How each appended table's prepared rows become Appender data chunks: one named cell per
 * column, in table order (see history-schema.ts). Rows were validated by row-validation.ts,
 * so nothing here should throw part-way through a batch.
 *
 * Sends are appended to the staging table (staged-sends.ts): the `sends` columns less
 * `value`, then where the value was written (value-segments.ts). Its columns are checked
 * against these names when a writer opens.
 */
import { DuckDBBlobValue } from '@duckdb/node-api';
import type { DuckDBAppender } from '@duckdb/node-api';
import { ChunkWriter } from './chunk-writer.ts';
import type { Cell } from './chunk-writer.ts';
import type { PreparedMetric, PreparedObserved, PreparedSend } from './row-validation.ts';
import type { RowsWriter } from './table-buffer.ts';

/** A table column's name and how to take its value from a row. */
export type Column<R> = readonly [name: string, cell: Cell<R>];

/**
 * Where the values of the batch of sends being appended went (value-segments.ts): kept apart
 * from the rows, since adding properties to a row object changes its shape (measured: 5 µs
 * a row, and slower cells after it).
 */
export interface StagedBatch {
  file: string;
  /** Offset of each row's value in `file`, by place in the batch. */
  offsets: Float64Array;
}

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const blob = (value: Uint8Array | null | undefined) => (value == null ? null : new DuckDBBlobValue(value));

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
  ['value', (r) => new DuckDBBlobValue(r.value)],
  ['truth', (r) => r.truth],
  ['truth_detail', (r) => r.truthDetail],
  ['event_time_ms', (r) => orNull(r.eventTimeMs)],
  ['schema_id', (r) => orNull(r.schemaId)],
  ['wire', (r) => blob(r.wire)],
];

/** The staging table's columns: those of `sends` but `value`, then the value's place in `batch` (VALUE_REF_COLUMNS). */
export const stagedSendColumns = (batch: StagedBatch): Column<PreparedSend>[] => [
  ...SEND_COLUMNS.filter(([name]) => name !== 'value'),
  ['value_file', () => batch.file],
  ['value_at', (_, i) => batch.offsets[i]!],
  ['value_len', (r) => r.value.byteLength],
];

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

export const stagedSendsWriter = (batch: StagedBatch) => (appender: DuckDBAppender) => rowsWriter(appender, stagedSendColumns(batch));
export const observedWriter = (appender: DuckDBAppender) => rowsWriter(appender, OBSERVED_COLUMNS);
export const metricsWriter = (appender: DuckDBAppender) => rowsWriter(appender, METRIC_COLUMNS);
