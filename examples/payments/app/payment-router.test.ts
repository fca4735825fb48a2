import { describe, expect, it } from 'vitest';
import { MerchantWindows } from './merchant-windows.ts';
import { PaymentRouter, type InputRecord } from './payment-router.ts';

const T = Date.UTC(2026, 0, 1);
const topics = { input: 'raw', records: 'clean', aggregate: 'totals', dlq: 'dlq', late: 'late', aggregatePartitions: 4 };
const router = () => new PaymentRouter(topics, new MerchantWindows({ sizeMs: 60_000, graceMs: 5_000 }));

let offset = 0;
function input(over: Record<string, unknown>, id = `p-${offset}`): InputRecord {
  const value = {
    payment_id: id, type: 'payment_authorized', version: 1, occurred_at: new Date(T).toISOString(), account_id: 'acct-1',
    merchant: { id: 'merch-1', city: 'Urbana', category: 'dining' }, amount: 10.94, currency: 'GBP',
    card: { holder: 'Wilma Greenholt', pan: '4107682807184755', network: 'visa' }, installments: 3, tags: [], settled_at: null, ...over,
  };
  return { key: Buffer.from('acct-1'), value: Buffer.from(JSON.stringify(value)), headers: { 'sp-event-id': Buffer.from(id), 'sp-send-ts': Buffer.from('123') }, offset: String(offset++) };
}

describe('PaymentRouter', () => {
  it('writes a masked copy of a valid payment on the input partition, with its key and headers', () => {
    const [out, ...rest] = router().route(2, [input({}, 'p-a')]);
    expect(rest).toEqual([]);
    expect(out).toMatchObject({ topic: 'clean', partition: 2, key: Buffer.from('acct-1') });
    expect(out!.headers).toMatchObject({ 'sp-event-id': Buffer.from('p-a'), 'sp-send-ts': Buffer.from('123') });
    expect(out!.headers!['sp-source']).toMatch(/^raw\/2\/\d+$/);
    expect(JSON.parse(String(out!.value))).toMatchObject({ payment_id: 'p-a', card: { pan_last4: '4755', network: 'visa' } });
    expect(String(out!.value)).not.toContain('Wilma');
  });

  it('sends an invalid input to the DLQ as its original bytes, with a reason header', () => {
    const bad = input({ amount: '667 EUR' });
    const [out] = router().route(1, [bad]);
    expect(out).toMatchObject({ topic: 'dlq', partition: 1, value: bad.value });
    expect(out!.headers).toMatchObject({ 'sp-event-id': bad.headers!['sp-event-id'], 'sp-dlq-reason': 'wrong-type', 'sp-dlq-detail': 'amount is a string, not a number' });
  });

  it('emits closed merchant windows (whole cents) and routes an event of a closed window to the late topic', () => {
    const r = router();
    const outputs = r.route(0, [
      input({ amount: 0.1 }), input({ amount: 0.2 }), input({ occurred_at: new Date(T + 65_000).toISOString() }),
      input({ occurred_at: new Date(T + 59_000).toISOString() }, 'p-late'),
    ]);
    expect(outputs.map((o) => o.topic)).toEqual(['clean', 'clean', 'clean', 'totals', 'late']);
    const total = outputs[3]!;
    expect(total.key).toBe('merch-1');
    expect(JSON.parse(String(total.value))).toEqual({ merchant_id: 'merch-1', window_start_ms: T, window_end_ms: T + 60_000, payments: 2, amount_total_cents: 30 });
    expect(JSON.parse(String(outputs[4]!.value)).card).toEqual({ pan_last4: '4755', network: 'visa' });
    expect(r.flush().map((o) => JSON.parse(String(o.value)).window_start_ms)).toEqual([T + 60_000]);
    expect(r.counts).toEqual({ records: 3, dlq: 0, late: 1, windows: 2 });
  });

  it('puts every window of a merchant on the same aggregate partition', () => {
    const r = router();
    r.route(0, [input({ merchant: { id: 'merch-7' } }), input({ merchant: { id: 'merch-7' }, occurred_at: new Date(T + 61_000).toISOString() })]);
    const partitions = new Set(r.flush().map((o) => o.partition));
    expect(partitions.size).toBe(1);
    expect([...partitions][0]).toBeLessThan(4);
  });
});
