import { describe, expect, it } from 'vitest';
import { collectEvents } from '../generate-events.ts';
import { REGIONS } from './orders.ts';

const events = (domain: 'orders' | 'clickstream' | 'iot', count = 5000) =>
  collectEvents({ domain, seed: 77, count, keyCount: 50 }).map((r) => JSON.parse(r.value.toString()));

describe('orders', () => {
  it('has realistic fields: 2-decimal amounts, fixed regions, currency by region, PII customer', () => {
    for (const e of events('orders')) {
      expect(Math.round(e.amount * 100) / 100).toBe(e.amount);
      expect(e.amount).toBeGreaterThan(0);
      expect(REGIONS).toContain(e.region);
      expect(e.currency).toBe({ 'eu-west': 'EUR', 'us-east': 'USD', 'us-west': 'USD', 'ap-south': 'INR' }[e.region as string]);
      expect(e.customer.id).toBe(e.key);
      expect(e.customer.email).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(e.customer.card_last4).toMatch(/^\d{4}$/);
      expect(e.order_id).toMatch(/^ORD-[A-Z0-9]{10}$/);
    }
  });

  it('follows the lifecycle placed -> paid -> shipped, cancelled before shipping, nothing after the end', () => {
    const state = new Map<string, string>();
    const seen = new Set<string>();
    for (const e of events('orders', 8000)) {
      seen.add(e.event_type);
      const before = state.get(e.order_id);
      const allowed: Record<string, Array<string | undefined>> = {
        order_placed: [undefined], order_paid: ['order_placed'], order_shipped: ['order_paid'], order_cancelled: ['order_placed', 'order_paid'],
      };
      expect(allowed[e.event_type]).toContain(before);
      state.set(e.order_id, e.event_type);
    }
    expect(seen).toEqual(new Set(['order_placed', 'order_paid', 'order_shipped', 'order_cancelled']));
  });

  it('gives a customer the same email and card every time', () => {
    const byKey = new Map<string, string>();
    for (const e of events('orders')) {
      const pii = `${e.customer.email}/${e.customer.card_last4}`;
      expect(byKey.get(e.key) ?? pii).toBe(pii);
      byKey.set(e.key, pii);
    }
  });
});

describe('clickstream', () => {
  it('has sessions per user: add_to_cart before checkout, urls on one shop host', () => {
    const carted = new Set<string>();
    const types = new Set<string>();
    for (const e of events('clickstream', 8000)) {
      types.add(e.event_type);
      expect(e.user_id).toBe(e.key);
      expect(e.session_id).toMatch(/^SESS-[A-Z0-9]{12}$/);
      expect(e.url).toMatch(/^https:\/\/shop\.[a-z0-9.-]+\/[a-z0-9-]+(\/[a-z0-9-]+)?$/);
      if (e.event_type === 'add_to_cart') carted.add(e.session_id);
      if (e.event_type === 'checkout') expect(carted.has(e.session_id)).toBe(true);
    }
    expect(types).toEqual(new Set(['page_view', 'add_to_cart', 'checkout']));
  });
});

describe('iot', () => {
  it('reports plausible telemetry with a draining battery', () => {
    const battery = new Map<string, number>();
    for (const e of events('iot')) {
      expect(e.device_id).toBe(e.key);
      expect(e.temperature).toBeGreaterThan(5);
      expect(e.temperature).toBeLessThan(40);
      expect(e.humidity).toBeGreaterThanOrEqual(0);
      expect(e.humidity).toBeLessThanOrEqual(100);
      expect(e.battery).toBeLessThanOrEqual(battery.get(e.key) ?? 100);
      battery.set(e.key, e.battery);
    }
  });
});
