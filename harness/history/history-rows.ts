/**
 * Row types of the history tables. `*Input` is what a writer method takes (nullable columns
 * may be omitted); the matching `*Row` is what a reader returns (every column present,
 * `null` where empty). Timestamps `*Us` are epoch microseconds from `clock.ts`; `*Ms` are
 * epoch milliseconds from elsewhere (event time, Kafka record timestamps).
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** `ok`: acked at partition/offset; `fail`: definitely not written; `info`: unknown (e.g. timeout). */
export type SendOutcome = 'ok' | 'fail' | 'info';
export const SEND_OUTCOMES: readonly SendOutcome[] = ['ok', 'fail', 'info'];

/** Ground truth the generator attached to an event; open-ended, these are the usual ones. */
export type SendTruth = 'valid' | 'poison' | 'late' | 'duplicate' | (string & {});

/** Which SUT topic a record was observed on; open-ended, these are the usual ones. */
export type ObservedRole = 'records' | 'dlq' | 'late' | 'bronze' | 'changelog' | (string & {});

export interface SendInput {
  sendId: number;
  eventId: string;
  key?: string | null;
  topic: string;
  partition?: number | null;
  offset?: number | null;
  outcome: SendOutcome;
  error?: string | null;
  invokeUs: number;
  completeUs?: number | null;
  value: Uint8Array;
  truth: SendTruth;
  /** Any JSON-serialisable value. */
  truthDetail?: unknown;
  eventTimeMs?: number | null;
  /** With a registry encoding: the schema id in the wire bytes. */
  schemaId?: number | null;
  /** With a registry encoding: the bytes sent (wire format); `value` is then the event as JSON. */
  wire?: Uint8Array | null;
}

export interface SendRow {
  sendId: number;
  eventId: string;
  key: string | null;
  topic: string;
  partition: number | null;
  offset: number | null;
  outcome: SendOutcome;
  error: string | null;
  invokeUs: number;
  completeUs: number | null;
  value: Buffer;
  truth: SendTruth;
  truthDetail: JsonValue;
  eventTimeMs: number | null;
}

export interface ObservedInput {
  role: ObservedRole;
  topic: string;
  partition: number;
  offset: number;
  key?: string | null;
  value?: Uint8Array | null;
  /** Any JSON-serialisable value; by convention `{ name: utf8Value }`. */
  headers?: unknown;
  observedUs: number;
  kafkaTsMs?: number | null;
  /** A registry wire-format value's schema id (its `value` is then the decoded event as JSON, if it decoded). */
  schemaId?: number | null;
}

export interface ObservedRow {
  role: ObservedRole;
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: JsonValue;
  observedUs: number;
  kafkaTsMs: number | null;
}

export interface FaultStartInput {
  faultId: string;
  type: string;
  target: string;
  /** Any JSON-serialisable value (the fault's typed attributes). */
  attrs?: unknown;
  startUs: number;
  error?: string | null;
}

export interface FaultRow {
  faultId: string;
  type: string;
  target: string;
  attrs: JsonValue;
  startUs: number;
  healUs: number | null;
  error: string | null;
}

export interface PhaseInput {
  name: string;
  startUs: number;
  endUs?: number | null;
}

export interface PhaseRow {
  name: string;
  startUs: number;
  endUs: number | null;
}

export interface MetricInput {
  tsUs: number;
  name: string;
  labels?: Record<string, string> | null;
  value: number;
}

export interface MetricRow {
  tsUs: number;
  name: string;
  labels: Record<string, string> | null;
  value: number;
}

export interface SummaryRow {
  source: string;
  body: JsonValue;
}
