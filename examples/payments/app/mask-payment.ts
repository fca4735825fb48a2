import type { Payment } from './payment.ts';

/**
 * The clean copy of a payment: every field as it came, except the card's personal data —
 * `card.pan` becomes `card.pan_last4` (its last 4 characters) and `card.holder` is dropped.
 * Field order is kept (pan_last4 takes pan's place) so a diff of input and output reads easily.
 */
export function maskPayment(payment: Payment): Record<string, unknown> {
  if (payment.card === undefined || payment.card === null) return { ...payment };
  const card: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(payment.card)) {
    if (field === 'holder') continue;
    if (field === 'pan') {
      if (typeof value === 'string') card.pan_last4 = value.slice(-4);
      continue;
    }
    card[field] = value;
  }
  return { ...payment, card };
}
