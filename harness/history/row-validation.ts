/**
 * Checks a row before it is buffered, so a bad row fails the caller's `record*` call at once
 * (with the field named) instead of failing a whole batch at flush time. Each `prepare*`
 * returns the row with JSON columns already serialised.
 */
import { historyError } from './history-error.ts';
import { SEND_OUTCOMES } from './history-rows.ts';
import type { MetricInput, ObservedInput, SendInput, SendOutcome } from './history-rows.ts';
import { typedHeaders, type TypedHeaders } from './harness-headers.ts';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export interface PreparedSend extends Omit<SendInput, 'truthDetail'> {
  truthDetail: string | null;
}
export interface PreparedObserved extends Omit<ObservedInput, 'headers'>, TypedHeaders {
  headers: string | null;
}
export interface PreparedMetric extends Omit<MetricInput, 'labels'> {
  labels: string | null;
}

function bad(table: string, field: string, expected: string, value: unknown): never {
  const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value);
  throw historyError(`${table}.${field} must be ${expected}, got ${shown}`, { table, field });
}

export function checkInt64(table: string, field: string, value: unknown, nullable: boolean): void {
  if (value === null || value === undefined) {
    if (!nullable) bad(table, field, 'a safe integer', value);
  } else if (!Number.isSafeInteger(value)) bad(table, field, 'a safe integer', value);
}

export function checkInt32(table: string, field: string, value: unknown, nullable: boolean): void {
  if (value === null || value === undefined) {
    if (!nullable) bad(table, field, 'a 32-bit integer', value);
  } else if (!Number.isInteger(value) || (value as number) < INT32_MIN || (value as number) > INT32_MAX) {
    bad(table, field, 'a 32-bit integer', value);
  }
}

export function checkString(table: string, field: string, value: unknown, nullable: boolean): void {
  if (value === null || value === undefined) {
    if (!nullable) bad(table, field, 'a string', value);
  } else if (typeof value !== 'string') bad(table, field, 'a string', value);
}

function checkBytes(table: string, field: string, value: unknown, nullable: boolean): void {
  if (value === null || value === undefined) {
    if (!nullable) bad(table, field, 'a Uint8Array', value);
  } else if (!(value instanceof Uint8Array)) bad(table, field, 'a Uint8Array', value);
}

/** JSON text for a JSON column; `undefined` and `null` become SQL NULL. */
export function jsonText(table: string, field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) bad(table, field, 'JSON-serialisable', value);
    return text;
  } catch (error) {
    throw historyError(`${table}.${field} is not JSON-serialisable`, { table, field }, error);
  }
}

/** `truthDetail` turns the truth detail into JSON text (a JsonTextMemo, json-memo.ts, keeps repeats cheap). */
export function prepareSend(row: SendInput, truthDetail: { of(value: unknown): string | null }): PreparedSend {
  const t = 'sends';
  checkInt64(t, 'sendId', row.sendId, false);
  checkString(t, 'eventId', row.eventId, false);
  checkString(t, 'key', row.key, true);
  checkString(t, 'topic', row.topic, false);
  checkInt32(t, 'partition', row.partition, true);
  checkInt64(t, 'offset', row.offset, true);
  if (!SEND_OUTCOMES.includes(row.outcome as SendOutcome)) bad(t, 'outcome', `one of ${SEND_OUTCOMES.join('|')}`, row.outcome);
  if (row.outcome === 'ok' && (row.partition == null || row.offset == null)) {
    bad(t, 'partition/offset', "set when outcome is 'ok'", { partition: row.partition, offset: row.offset });
  }
  checkString(t, 'error', row.error, true);
  checkInt64(t, 'invokeUs', row.invokeUs, false);
  checkInt64(t, 'completeUs', row.completeUs, true);
  checkBytes(t, 'value', row.value, false);
  checkString(t, 'truth', row.truth, false);
  checkInt64(t, 'eventTimeMs', row.eventTimeMs, true);
  checkInt32(t, 'schemaId', row.schemaId, true);
  checkBytes(t, 'wire', row.wire, true);
  return { ...row, truthDetail: truthDetail.of(row.truthDetail) };
}

export function prepareObserved(row: ObservedInput): PreparedObserved {
  const t = 'observed';
  checkString(t, 'role', row.role, false);
  checkString(t, 'topic', row.topic, false);
  checkInt32(t, 'partition', row.partition, false);
  checkInt64(t, 'offset', row.offset, false);
  checkString(t, 'key', row.key, true);
  checkBytes(t, 'value', row.value, true);
  checkInt64(t, 'observedUs', row.observedUs, false);
  checkInt64(t, 'kafkaTsMs', row.kafkaTsMs, true);
  checkInt32(t, 'schemaId', row.schemaId, true);
  return { ...row, headers: jsonText(t, 'headers', row.headers), ...typedHeaders(row.headers) };
}

export function prepareMetric(row: MetricInput): PreparedMetric {
  const t = 'metrics';
  checkInt64(t, 'tsUs', row.tsUs, false);
  checkString(t, 'name', row.name, false);
  if (typeof row.value !== 'number' || Number.isNaN(row.value)) bad(t, 'value', 'a number (not NaN)', row.value);
  return { ...row, labels: jsonText(t, 'labels', row.labels) };
}
