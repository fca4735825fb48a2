/**
 * Writes one prepared row into a DuckDB Appender, column by column in table order
 * (see history-schema.ts). Rows were validated by row-validation.ts, so nothing here
 * should throw part-way through a row.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import type { PreparedMetric, PreparedObserved, PreparedSend } from './row-validation.ts';

function int64(appender: DuckDBAppender, value: number | null | undefined): void {
  if (value === null || value === undefined) appender.appendNull();
  else appender.appendBigInt(BigInt(value));
}

function int32(appender: DuckDBAppender, value: number | null | undefined): void {
  if (value === null || value === undefined) appender.appendNull();
  else appender.appendInteger(value);
}

function text(appender: DuckDBAppender, value: string | null | undefined): void {
  if (value === null || value === undefined) appender.appendNull();
  else appender.appendVarchar(value);
}

function bytes(appender: DuckDBAppender, value: Uint8Array | null | undefined): void {
  if (value === null || value === undefined) appender.appendNull();
  else appender.appendBlob(value);
}

export function appendSend(appender: DuckDBAppender, row: PreparedSend): void {
  int64(appender, row.sendId);
  appender.appendVarchar(row.eventId);
  text(appender, row.key);
  appender.appendVarchar(row.topic);
  int32(appender, row.partition);
  int64(appender, row.offset);
  appender.appendVarchar(row.outcome);
  text(appender, row.error);
  int64(appender, row.invokeUs);
  int64(appender, row.completeUs);
  appender.appendBlob(row.value);
  appender.appendVarchar(row.truth);
  text(appender, row.truthDetail);
  int64(appender, row.eventTimeMs);
  appender.endRow();
}

export function appendObserved(appender: DuckDBAppender, row: PreparedObserved): void {
  appender.appendVarchar(row.role);
  appender.appendVarchar(row.topic);
  appender.appendInteger(row.partition);
  int64(appender, row.offset);
  text(appender, row.key);
  bytes(appender, row.value);
  text(appender, row.headers);
  int64(appender, row.observedUs);
  int64(appender, row.kafkaTsMs);
  appender.endRow();
}

export function appendMetric(appender: DuckDBAppender, row: PreparedMetric): void {
  int64(appender, row.tsUs);
  appender.appendVarchar(row.name);
  text(appender, row.labels);
  appender.appendDouble(row.value);
  appender.endRow();
}
