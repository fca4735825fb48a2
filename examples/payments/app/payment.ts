/**
 * A payments event as the app relies on it after validation (payments.domain.json): the fields
 * it reads are typed, every other field is carried through untouched.
 */
export interface Payment {
  payment_id: string;
  type: string;
  /** Schema version: 1, or 2 (adds the nullable `risk_score`). */
  version: 1 | 2;
  /** Event time, ISO-8601. */
  occurred_at: string;
  account_id: string;
  merchant: { id: string; [field: string]: unknown };
  amount: number;
  currency: string;
  /** card.holder and card.pan are personal data: never written outside the DLQ. */
  card?: { holder?: unknown; pan?: string; [field: string]: unknown };
  [field: string]: unknown;
}
