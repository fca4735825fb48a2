/**
 * How each appended table's prepared rows become Appender data chunks: one cell per column,
 * in table order (see history-schema.ts). Rows were validated by row-validation.ts, so
 * nothing here should throw part-way through a batch.
 */
import { DuckDBBlobValue } from '@duckdb/node-api';
import type { DuckDBAppender } from '@duckdb/node-api';
import { ChunkWriter } from './chunk-writer.ts';
import type { Cell } from './chunk-writer.ts';
import type { PreparedMetric, PreparedObserved, PreparedSend } from './row-validation.ts';
import type { RowsWriter } from './table-buffer.ts';

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const blob = (value: Uint8Array | null | undefined) => (value == null ? null : new DuckDBBlobValue(value));

const SEND_CELLS: Cell<PreparedSend>[] = [
  (r) => r.sendId,
  (r) => r.eventId,
  (r) => orNull(r.key),
  (r) => r.topic,
  (r) => orNull(r.partition),
  (r) => orNull(r.offset),
  (r) => r.outcome,
  (r) => orNull(r.error),
  (r) => r.invokeUs,
  (r) => orNull(r.completeUs),
  (r) => new DuckDBBlobValue(r.value),
  (r) => r.truth,
  (r) => r.truthDetail,
  (r) => orNull(r.eventTimeMs),
  (r) => orNull(r.schemaId),
  (r) => blob(r.wire),
];

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

export const sendsWriter = (appender: DuckDBAppender) => rowsWriter(appender, SEND_CELLS);
export const observedWriter = (appender: DuckDBAppender) => rowsWriter(appender, OBSERVED_CELLS);
export const metricsWriter = (appender: DuckDBAppender) => rowsWriter(appender, METRIC_CELLS);
