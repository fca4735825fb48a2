/** Deterministic sample rows for the history's tests, benchmark and crash script. */
import type { MetricInput, ObservedInput, SendInput } from '../history-rows.ts';

const BASE_US = 1_760_000_000_000_000;

/** A value of `size` bytes whose first 8 bytes hold `id` and the rest derive from it. */
export function sampleValue(id: number, size = 1024): Buffer {
  const value = Buffer.alloc(size);
  value.writeBigUInt64BE(BigInt(id), 0);
  for (let i = 8; i < size; i++) value[i] = (id * 31 + i * 7) & 0xff;
  return value;
}

/** True when `value` is exactly `sampleValue(id, value.length)`. */
export function isSampleValue(id: number, value: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(value), sampleValue(id, value.length)) === 0;
}

export function sampleSend(id: number, valueSize = 1024): SendInput {
  const outcome = id % 10 === 7 ? 'info' : id % 10 === 9 ? 'fail' : 'ok';
  return {
    sendId: id,
    eventId: `ev-${id}`,
    key: `key-${id % 97}`,
    topic: 'orders',
    partition: outcome === 'ok' ? id % 6 : null,
    offset: outcome === 'ok' ? Math.floor(id / 6) : null,
    outcome,
    error: outcome === 'ok' ? null : outcome === 'fail' ? 'NOT_ENOUGH_REPLICAS' : 'request timed out',
    invokeUs: BASE_US + id * 100,
    completeUs: outcome === 'info' ? null : BASE_US + id * 100 + 2_500,
    value: sampleValue(id, valueSize),
    truth: id % 50 === 3 ? 'poison' : 'valid',
    truthDetail: id % 50 === 3 ? { reason: 'bad-json', field: 'amount' } : null,
    eventTimeMs: Math.floor((BASE_US + id * 100) / 1000),
  };
}

export function sampleObserved(id: number): ObservedInput {
  return {
    role: id % 5 === 0 ? 'dlq' : 'records',
    topic: id % 5 === 0 ? 'orders.dlq' : 'orders.out',
    partition: id % 3,
    offset: id,
    key: id % 4 === 0 ? null : `key-${id % 97}`,
    value: id % 11 === 0 ? null : sampleValue(id, 64),
    headers: id % 2 === 0 ? { 'x-event-id': `ev-${id}` } : null,
    observedUs: BASE_US + 1_000_000 + id * 100,
    kafkaTsMs: id % 3 === 0 ? null : Math.floor((BASE_US + id * 100) / 1000),
  };
}

export function sampleMetric(id: number): MetricInput {
  return {
    tsUs: BASE_US + id * 1_000_000,
    name: id % 2 === 0 ? 'rate' : 'lag',
    labels: id % 2 === 0 ? { topic: 'orders' } : null,
    value: id * 1.5,
  };
}
