import type { Payment } from './payment.ts';

/** Why an input goes to the DLQ (its `sp-dlq-reason` header). One per generator poison kind, plus the ones a real feed adds. */
export type DlqReason = 'null-value' | 'malformed-json' | 'not-an-object' | 'missing-field' | 'wrong-type' | 'unknown-schema-version' | 'invalid-value';

export type Validation =
  | { ok: true; payment: Payment; eventTimeMs: number }
  /** `detail` names fields and types only, never a value: it travels in a header, and values may be PII. */
  | { ok: false; reason: DlqReason; detail: string };

const REQUIRED = ['payment_id', 'type', 'occurred_at', 'account_id', 'merchant', 'amount', 'currency'] as const;
const STRINGS = ['payment_id', 'type', 'occurred_at', 'account_id', 'currency'] as const;
/** ISO-8601 with a zone, as the domain writes it; Date.parse alone accepts too much ("5", "May 1"). */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const reject = (reason: DlqReason, detail: string): Validation => ({ ok: false, reason, detail });

/**
 * Decides whether one input value is a payment the pipeline may count, and if not, why.
 * Checked in this order so each poison kind gets its own reason: bytes, JSON, version, required
 * fields (null counts as missing), types, values. Unknown extra fields are fine (schema drift).
 */
export function validatePayment(value: Buffer | null): Validation {
  if (value === null) return reject('null-value', 'the record has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return reject('malformed-json', 'the value is not JSON');
  }
  if (!isObject(parsed)) return reject('not-an-object', `the value is a JSON ${typeOf(parsed)}`);
  const v = parsed;
  if (v.version === undefined || v.version === null) return reject('missing-field', 'version is missing');
  if (typeof v.version !== 'number' || !Number.isInteger(v.version)) return reject('wrong-type', `version is a ${typeOf(v.version)}, not an integer`);
  if (v.version !== 1 && v.version !== 2) return reject('unknown-schema-version', `version ${v.version} is not 1 or 2`);
  for (const field of REQUIRED) if (v[field] === undefined || v[field] === null) return reject('missing-field', `${field} is missing`);
  for (const field of STRINGS) if (typeof v[field] !== 'string') return reject('wrong-type', `${field} is a ${typeOf(v[field])}, not a string`);
  if (!isObject(v.merchant)) return reject('wrong-type', `merchant is a ${typeOf(v.merchant)}, not an object`);
  if (v.merchant.id === undefined || v.merchant.id === null) return reject('missing-field', 'merchant.id is missing');
  if (typeof v.merchant.id !== 'string') return reject('wrong-type', `merchant.id is a ${typeOf(v.merchant.id)}, not a string`);
  if (typeof v.amount !== 'number') return reject('wrong-type', `amount is a ${typeOf(v.amount)}, not a number`);
  if (v.card !== undefined && v.card !== null) {
    if (!isObject(v.card)) return reject('wrong-type', `card is a ${typeOf(v.card)}, not an object`);
    if (v.card.pan !== undefined && v.card.pan !== null && typeof v.card.pan !== 'string') return reject('wrong-type', `card.pan is a ${typeOf(v.card.pan)}, not a string`);
  }
  if (!Number.isFinite(v.amount) || v.amount < 0) return reject('invalid-value', 'amount is negative or not finite');
  const eventTimeMs = ISO_INSTANT.test(v.occurred_at as string) ? Date.parse(v.occurred_at as string) : Number.NaN;
  if (!Number.isFinite(eventTimeMs) || eventTimeMs < 0) return reject('invalid-value', 'occurred_at is not an ISO-8601 instant');
  return { ok: true, payment: v as Payment, eventTimeMs };
}
