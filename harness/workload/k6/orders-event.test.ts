import { describe, expect, it } from 'vitest';
import { collectEvents } from '../../../generators/generate-events.ts';
import { GAP, orderEvent } from './orders-event.js';

/** Field names in order, with JSON types, nested objects spelled out. */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value;
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]);
}

const options = { seed: 42, keyCount: 1000, startMs: 1_767_225_600_000, ratePerSec: 500 };
const stream = Array.from({ length: 3 * GAP * 4 }, (_, i) => orderEvent(i, options));

describe('k6 orders events', () => {
  it('have the generator orders shape: same fields, same order, same types', () => {
    const generated = collectEvents({ domain: 'orders', seed: 42, count: 50 }).map((r) => JSON.parse(r.value.toString()) as unknown);
    const expected = shape(generated[0]);
    for (const event of generated) expect(shape(event)).toEqual(expected);
    for (const event of stream) expect(shape(JSON.parse(JSON.stringify(event)))).toEqual(expected);
  });

  it('use the generator value domains', () => {
    for (const e of stream) {
      expect(e.event_type).toMatch(/^order_(placed|paid|shipped|cancelled)$/);
      expect(e.key).toMatch(/^cust-\d{6}$/);
      expect(e.customer.id).toBe(e.key);
      expect(e.order_id).toMatch(/^ORD-[A-Z2-9]{10}$/);
      expect(Math.round(e.amount * 100) / 100).toBe(e.amount);
      expect(e.amount).toBeGreaterThanOrEqual(1.99);
      expect({ 'eu-west': 'EUR', 'us-east': 'USD', 'us-west': 'USD', 'ap-south': 'INR' }[e.region]).toBe(e.currency);
      expect(e.customer.card_last4).toMatch(/^\d{4}$/);
    }
  });

  it('are a pure function of (seed, index)', () => {
    expect(orderEvent(12345, options)).toEqual(orderEvent(12345, { ...options }));
    expect(orderEvent(7, options)).not.toEqual(orderEvent(7, { ...options, seed: 43 }));
    expect(stream[9]!.event_id).toBe('orders-42-9');
    expect(stream[1000]!.event_time_ms).toBe(options.startMs + 2000);
  });

  it('follow the order lifecycle, GAP events apart, repeating the order fields', () => {
    const byOrder = new Map<string, typeof stream>();
    stream.forEach((e) => byOrder.set(e.order_id, [...(byOrder.get(e.order_id) ?? []), e]));
    const lifecycles = new Set<string>();
    for (const events of byOrder.values()) {
      const types = events.map((e) => e.event_type).join('>');
      lifecycles.add(types);
      expect(['order_placed', 'order_placed>order_cancelled', 'order_placed>order_paid', 'order_placed>order_paid>order_shipped', 'order_placed>order_paid>order_cancelled']).toContain(types);
      for (const e of events) expect([e.key, e.amount, e.customer]).toEqual([events[0]!.key, events[0]!.amount, events[0]!.customer]);
      for (let i = 1; i < events.length; i++) expect(events[i]!.event_time_ms - events[i - 1]!.event_time_ms).toBe((GAP * 1000) / options.ratePerSec);
    }
    expect(lifecycles).toContain('order_placed>order_paid>order_shipped');
    expect(lifecycles).toContain('order_placed>order_cancelled');
  });

  it('give a key the same customer every time', () => {
    const byKey = new Map<string, unknown>();
    for (const e of stream) {
      if (byKey.has(e.key)) expect(e.customer).toEqual(byKey.get(e.key));
      else byKey.set(e.key, e.customer);
    }
  });
});
