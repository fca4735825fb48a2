import { describe, expect, it } from 'vitest';
import { maskPayment } from './mask-payment.ts';
import type { Payment } from './payment.ts';

const payment: Payment = {
  payment_id: 'p-1', type: 'payment_captured', version: 2, occurred_at: '2026-01-01T00:00:00.001Z', account_id: 'acct-000416',
  merchant: { id: 'merch-000002', city: 'South Einar', category: 'dining' }, amount: 48, currency: 'EUR',
  card: { holder: 'Garrick Daniel', pan: '4446936449897475', network: 'visa' }, installments: 1, tags: ['recurring'], settled_at: null, risk_score: 0.5,
};

describe('maskPayment', () => {
  it('cuts the pan to its last 4 digits, drops the holder and carries everything else', () => {
    const masked = maskPayment(payment);
    expect(masked).toEqual({ ...payment, card: { pan_last4: '7475', network: 'visa' } });
    expect(JSON.stringify(masked)).not.toMatch(/Garrick|4446936449897475/);
  });

  it('keeps unknown card fields and leaves the input untouched', () => {
    const withExtra: Payment = { ...payment, card: { ...payment.card, expiry: '12/29' } };
    expect(maskPayment(withExtra).card).toEqual({ pan_last4: '7475', network: 'visa', expiry: '12/29' });
    expect(withExtra.card?.pan).toBe('4446936449897475');
  });

  it('copies a payment without a card as is', () => {
    const { card: _, ...noCard } = payment;
    expect(maskPayment(noCard as Payment)).toEqual(noCard);
  });
});
