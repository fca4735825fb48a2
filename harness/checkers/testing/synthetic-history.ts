/**
 * Small hand-built histories for the checkers' unit tests: sends and the records a SUT would
 * have produced from them (headers carried as the reference pipeline does), written with
 * HistoryWriter into a temporary file and read back with HistoryReader.
 */
import { join } from 'node:path';
import { HistoryReader } from '../../history/history-reader.ts';
import type { FaultStartInput, MetricInput, ObservedInput, PhaseInput, SendInput } from '../../history/history-rows.ts';
import { HistoryWriter } from '../../history/history-writer.ts';

/** 2026-01-01T00:00:00Z in epoch µs. */
export const T0_US = 1_767_225_600_000_000;
export const T0_MS = T0_US / 1000;
export const INPUT_TOPIC = 'orders';

export interface OrderFields {
  event_id: string;
  event_type?: 'order_placed' | 'order_paid' | 'order_shipped' | 'order_cancelled';
  event_time_ms?: number;
  key?: string;
  amount?: number;
  region?: string;
  email?: string;
  card_last4?: string;
}

/** An orders event as the generator writes it. */
export function orderEvent(f: OrderFields): Record<string, unknown> {
  const key = f.key ?? 'cust-000001';
  return {
    event_id: f.event_id,
    event_type: f.event_type ?? 'order_placed',
    schema_version: 1,
    event_time_ms: f.event_time_ms ?? T0_MS,
    key,
    order_id: `ord-${f.event_id}`,
    amount: f.amount ?? 10.5,
    currency: 'EUR',
    region: f.region ?? 'eu-west',
    customer: { id: key, email: f.email ?? 'jane.doe7@example.com', card_last4: f.card_last4 ?? '4821' },
  };
}

/** The masked (silver) form of an input value: email tokenised, card dropped. */
export function silverValue(input: Uint8Array): Buffer {
  const event = JSON.parse(Buffer.from(input).toString('utf8')) as Record<string, unknown> & { customer: { id: string } };
  return Buffer.from(JSON.stringify({ ...event, customer: { id: event.customer.id, email_token: 'tok_0123456789abcdef' } }));
}

export interface WindowValue {
  partition: number;
  window_start_ms: number;
  window_end_ms?: number;
  region: string;
  event_count: number;
  order_count: number;
  revenue_cents: number;
}

export type SendSpec = Partial<SendInput> & { eventId: string; order?: Omit<OrderFields, 'event_id'> };
export type ObservedSpec = Partial<ObservedInput>;

export class SyntheticHistory {
  readonly sends: SendInput[] = [];
  readonly observed: ObservedInput[] = [];
  readonly faults: (FaultStartInput & { healUs?: number })[] = [];
  readonly phases: PhaseInput[] = [];
  readonly metrics: MetricInput[] = [];
  readonly meta: Record<string, unknown> = {};
  private readonly nextOffset = new Map<string, number>();
  private observedClock = T0_US + 60_000_000;

  constructor(private readonly windowSizeMs = 60_000) {}

  private offsetFor(topic: string, partition: number): number {
    const key = `${topic}/${partition}`;
    const offset = this.nextOffset.get(key) ?? 0;
    this.nextOffset.set(key, offset + 1);
    return offset;
  }

  /** A send; by default ok, valid, on partition 0 at the next offset, a 1 ms apart. */
  send(spec: SendSpec): SendInput {
    const sendId = spec.sendId ?? this.sends.length;
    const outcome = spec.outcome ?? 'ok';
    const partition = outcome === 'ok' ? (spec.partition ?? 0) : (spec.partition ?? null);
    const offset = outcome === 'ok' ? (spec.offset ?? this.offsetFor(spec.topic ?? INPUT_TOPIC, partition!)) : (spec.offset ?? null);
    const invokeUs = spec.invokeUs ?? T0_US + sendId * 1_000;
    const eventTimeMs = spec.eventTimeMs ?? spec.order?.event_time_ms ?? T0_MS + sendId;
    const value = spec.value ?? Buffer.from(JSON.stringify(orderEvent({ ...spec.order, event_id: spec.eventId, event_time_ms: eventTimeMs })));
    const row: SendInput = {
      sendId,
      eventId: spec.eventId,
      key: spec.key ?? spec.order?.key ?? 'cust-000001',
      topic: spec.topic ?? INPUT_TOPIC,
      partition,
      offset,
      outcome,
      error: spec.error ?? (outcome === 'ok' ? null : 'request timed out'),
      invokeUs,
      completeUs: spec.completeUs !== undefined ? spec.completeUs : outcome === 'info' ? null : invokeUs + 500,
      value,
      truth: spec.truth ?? 'valid',
      truthDetail: spec.truthDetail ?? null,
      eventTimeMs,
    };
    this.sends.push(row);
    return row;
  }

  /** Any observed record; offset defaults to the next one of its topic/partition. */
  observe(role: string, spec: ObservedSpec): ObservedInput {
    const topic = spec.topic ?? role;
    const partition = spec.partition ?? 0;
    const row: ObservedInput = {
      role,
      topic,
      partition,
      offset: spec.offset ?? this.offsetFor(topic, partition),
      key: spec.key ?? null,
      value: spec.value ?? null,
      headers: spec.headers ?? null,
      observedUs: spec.observedUs ?? (this.observedClock += 1_000),
      kafkaTsMs: spec.kafkaTsMs ?? null,
      schemaId: spec.schemaId ?? null,
    };
    this.observed.push(row);
    return row;
  }

  /** Headers the reference pipeline carries from an input record (sends row) to its outputs. */
  static provenance(send: SendInput, offset = send.offset): Record<string, string> {
    return {
      'sp-event-id': send.eventId,
      'sp-send-ts': String(send.invokeUs),
      'sp-source': `${send.topic}/${send.partition ?? 0}/${offset ?? 0}`,
    };
  }

  /** The silver record of a send (same partition as the input). */
  output(send: SendInput, spec: ObservedSpec = {}, role = 'records'): ObservedInput {
    return this.observe(role, {
      topic: role === 'records-live' ? 'records' : undefined,
      partition: send.partition ?? 0,
      key: send.key,
      value: silverValue(send.value),
      headers: SyntheticHistory.provenance(send),
      ...spec,
    });
  }

  /** The copy of a send that the final scan reads back from the input topic (role input). */
  input(send: SendInput, spec: ObservedSpec = {}): ObservedInput {
    return this.observe('input', {
      topic: send.topic, partition: send.partition ?? 0, offset: send.offset ?? undefined, key: send.key, value: send.value,
      headers: { 'sp-event-id': send.eventId, 'sp-send-ts': String(send.invokeUs) }, kafkaTsMs: send.eventTimeMs, ...spec,
    });
  }

  late(send: SendInput, spec: ObservedSpec = {}): ObservedInput {
    return this.observe('late', { partition: send.partition ?? 0, key: send.key, value: silverValue(send.value), headers: SyntheticHistory.provenance(send), ...spec });
  }

  dlq(send: SendInput, reason: string | null = 'malformed-json', spec: ObservedSpec = {}): ObservedInput {
    const headers = { ...SyntheticHistory.provenance(send), ...(reason === null ? {} : { 'sp-dlq-reason': reason }) };
    return this.observe('dlq', { partition: send.partition ?? 0, key: send.key, value: send.value, headers, ...spec });
  }

  bronze(send: SendInput, spec: ObservedSpec = {}): ObservedInput {
    return this.observe('bronze', { partition: send.partition ?? 0, key: send.key, value: send.value, headers: SyntheticHistory.provenance(send), ...spec });
  }

  /** A gold window record (window_end_ms filled in). */
  gold(window: WindowValue, spec: ObservedSpec = {}, role = 'aggregate'): ObservedInput {
    const value = { window_end_ms: window.window_start_ms + this.windowSizeMs, ...window };
    const ordered = {
      partition: value.partition, window_start_ms: value.window_start_ms, window_end_ms: value.window_end_ms, region: value.region,
      event_count: value.event_count, order_count: value.order_count, revenue_cents: value.revenue_cents,
    };
    return this.observe(role, {
      partition: window.partition,
      key: `${window.partition}|${window.window_start_ms}|${window.region}`,
      value: Buffer.from(JSON.stringify(ordered)),
      ...spec,
    });
  }

  async write(dir: string, name = 'history.duckdb'): Promise<string> {
    const path = join(dir, name);
    const writer = await HistoryWriter.open(path);
    try {
      this.sends.forEach((row) => writer.recordSend(row));
      this.observed.forEach((row) => writer.recordObserved(row));
      this.metrics.forEach((row) => writer.recordMetric(row));
      for (const { healUs, ...fault } of this.faults) {
        await writer.recordFaultStart(fault);
        if (healUs !== undefined) await writer.recordFaultHeal(fault.faultId, healUs);
      }
      for (const phase of this.phases) await writer.recordPhase(phase);
      for (const [key, value] of Object.entries(this.meta)) await writer.setMeta(key, value);
    } finally {
      await writer.close();
    }
    return path;
  }
}

/** Opens the file, runs `fn`, closes the reader. */
export async function withReader<T>(path: string, fn: (reader: HistoryReader) => Promise<T>): Promise<T> {
  const reader = await HistoryReader.open(path);
  try {
    return await fn(reader);
  } finally {
    reader.close();
  }
}
