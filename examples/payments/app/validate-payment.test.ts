import { describe, expect, it } from 'vitest';
import { validatePayment } from './validate-payment.ts';

const payment = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  payment_id: '40be9112-916c-5dda-be9a-457c780fad37', type: 'payment_authorized', version: 1, occurred_at: '2026-01-01T00:00:00.000Z',
  account_id: 'acct-000081', merchant: { id: 'merch-000001', city: 'Port Soniamouth', category: 'electronics' }, amount: 7.58, currency: 'EUR',
  card: { holder: 'Miss Kyler Ebert', pan: '4817677544406615', network: 'visa' }, installments: 1, tags: [], settled_at: null, ...over,
});
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const reasonOf = (value: Buffer | null) => {
  const v = validatePayment(value);
  return v.ok ? 'ok' : v.reason;
};

describe('validatePayment', () => {
  it('accepts v1 and v2 (risk_score null or not) with the event time of occurred_at', () => {
    const v = validatePayment(bytes(payment()));
    expect(v).toMatchObject({ ok: true, eventTimeMs: Date.UTC(2026, 0, 1) });
    expect(reasonOf(bytes(payment({ version: 2, risk_score: 0.318 })))).toBe('ok');
    expect(reasonOf(bytes(payment({ version: 2, risk_score: null })))).toBe('ok');
    expect(reasonOf(bytes(payment({ amount: 48 })))).toBe('ok'); // a whole amount is still a number
  });

  it('gives each generator poison kind its own reason', () => {
    expect(reasonOf(Buffer.from('{"payment_id":"1f312c1e","type":"payment_a'))).toBe('malformed-json');
    expect(reasonOf(bytes(payment({ amount: '667 EUR' })))).toBe('wrong-type');
    for (const field of ['payment_id', 'occurred_at', 'account_id', 'merchant', 'amount', 'currency']) {
      const { [field]: _, ...rest } = payment();
      expect(reasonOf(bytes(rest)), field).toBe('missing-field');
    }
    for (const version of [0, 3, 99]) expect(reasonOf(bytes(payment({ version })))).toBe('unknown-schema-version');
  });

  it('rejects what a real feed sends too', () => {
    expect(reasonOf(null)).toBe('null-value');
    expect(reasonOf(bytes([1, 2]))).toBe('not-an-object');
    expect(reasonOf(bytes(payment({ version: '1' })))).toBe('wrong-type');
    expect(reasonOf(bytes(payment({ version: undefined })))).toBe('missing-field');
    expect(reasonOf(bytes(payment({ amount: null })))).toBe('missing-field');
    expect(reasonOf(bytes(payment({ merchant: { city: 'x' } })))).toBe('missing-field');
    expect(reasonOf(bytes(payment({ merchant: 'merch-1' })))).toBe('wrong-type');
    expect(reasonOf(bytes(payment({ card: { pan: 4817677544406615 } })))).toBe('wrong-type');
    expect(reasonOf(bytes(payment({ amount: -1 })))).toBe('invalid-value');
    expect(reasonOf(bytes(payment({ occurred_at: 'yesterday' })))).toBe('invalid-value');
    expect(reasonOf(bytes(payment({ occurred_at: '2026-01-01' })))).toBe('invalid-value');
  });

  it('never quotes a value in its detail (the detail is a header; values may be card data)', () => {
    const v = validatePayment(bytes(payment({ amount: '4817677544406615' })));
    expect(v).toMatchObject({ ok: false, reason: 'wrong-type', detail: 'amount is a string, not a number' });
  });
});
