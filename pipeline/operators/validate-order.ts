import { HarnessError } from '../../harness/errors.ts';
import { ORDER_EVENT_TYPES, REGIONS, type OrderEventType, type Region } from '../../generators/domains/orders.ts';

/**
 * A validated `orders` event (the Silver layer, before PII masking). Field names mirror the
 * generator's OrderEvent exactly; `coupon_code` is always present (null for v1 and when absent).
 */
export interface SilverOrder {
  event_id: string;
  event_type: OrderEventType;
  schema_version: 1 | 2;
  event_time_ms: number;
  key: string;
  order_id: string;
  /** Major currency units, at most 2 decimals. */
  amount: number;
  currency: string;
  region: Region;
  customer: { id: string; email: string; card_last4: string };
  coupon_code: string | null;
}

/** Why a record goes to the DLQ; the first five are the generator's poison kinds. */
export const REJECT_REASONS = [
  'oversized', 'malformed-json', 'wrong-type', 'missing-field', 'unknown-schema-version',
  'breaking-rename', 'not-an-object', 'invalid-value',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type ValidationResult =
  | { ok: true; event: SilverOrder }
  | { ok: false; reason: RejectReason; detail: string };

export interface ValidateOrderOptions {
  /** Largest accepted value, in bytes; larger is `oversized`. Default 1 MiB (Kafka's default max.message.bytes). */
  maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
const SUPPORTED_VERSIONS = new Set([1, 2]);
/** Top-level fields every version requires (v2 'breaking-rename' drift calls `amount` `total_amount`). */
const REQUIRED = ['event_id', 'event_type', 'schema_version', 'event_time_ms', 'key', 'order_id', 'amount', 'currency', 'region', 'customer'] as const;
const CUSTOMER_REQUIRED = ['id', 'email', 'card_last4'] as const;
const RENAMED_AMOUNT = 'total_amount';
const decoder = new TextDecoder('utf-8', { fatal: true });

type Reject = Extract<ValidationResult, { ok: false }>;
const reject = (reason: RejectReason, detail: string): Reject => ({ ok: false, reason, detail });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses one record value. Checks run in a fixed order so a generator poison kind maps to its
 * reason: size, UTF-8/JSON, object, schema_version, missing fields, types, value ranges, and
 * last the v2 breaking rename (a record carrying `total_amount` instead of `amount`).
 * Unknown extra fields are ignored (dropped from the Silver event). `detail` never quotes string
 * values from the record (they may be PII), only field names, types and numbers.
 */
export function validateOrder(value: Uint8Array, options: ValidateOrderOptions = {}): ValidationResult {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (value.byteLength > maxBytes) return reject('oversized', `${value.byteLength} bytes > max ${maxBytes}`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(value));
  } catch (error) {
    // V8's message may quote the input (PII); keep only the position.
    const at = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    return reject('malformed-json', at === undefined ? 'not valid UTF-8 JSON' : `not valid JSON at position ${at}`);
  }
  if (!isObject(parsed)) return reject('not-an-object', `top-level JSON is ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  const o = parsed;

  // schema_version first: an unknown version may legitimately have any other shape.
  if (!('schema_version' in o)) return reject('missing-field', 'schema_version');
  if (typeof o.schema_version !== 'number') return reject('wrong-type', `schema_version is ${typeof o.schema_version}`);
  if (!SUPPORTED_VERSIONS.has(o.schema_version)) return reject('unknown-schema-version', `schema_version ${o.schema_version}`);

  const renamed = !('amount' in o) && RENAMED_AMOUNT in o;
  const amountField = renamed ? RENAMED_AMOUNT : 'amount';
  for (const field of REQUIRED) {
    const present = field === 'amount' ? amountField in o : field in o;
    if (!present) return reject('missing-field', field);
  }
  const amount = o[amountField];

  const wrong = (field: string, v: unknown, want: string) => reject('wrong-type', `${field} is ${v === null ? 'null' : typeof v}, want ${want}`);
  for (const field of ['event_id', 'event_type', 'key', 'order_id', 'currency', 'region'] as const) {
    if (typeof o[field] !== 'string') return wrong(field, o[field], 'string');
  }
  if (typeof o.event_time_ms !== 'number') return wrong('event_time_ms', o.event_time_ms, 'number');
  if (typeof amount !== 'number') return wrong(amountField, amount, 'number');
  if (!isObject(o.customer)) return wrong('customer', o.customer, 'object');
  const customer = o.customer;
  for (const field of CUSTOMER_REQUIRED) {
    if (!(field in customer)) return reject('missing-field', `customer.${field}`);
    if (typeof customer[field] !== 'string') return wrong(`customer.${field}`, customer[field], 'string');
  }
  const coupon = o.coupon_code ?? null;
  if (coupon !== null && typeof coupon !== 'string') return wrong('coupon_code', coupon, 'string or null');

  const eventType = o.event_type as string;
  const region = o.region as string;
  const time = o.event_time_ms;
  if (!(ORDER_EVENT_TYPES as readonly string[]).includes(eventType)) return reject('invalid-value', `event_type is not one of ${ORDER_EVENT_TYPES.join(', ')}`);
  if (!(REGIONS as readonly string[]).includes(region)) return reject('invalid-value', `region is not one of ${REGIONS.join(', ')}`);
  if (!Number.isSafeInteger(time) || time < 0) return reject('invalid-value', `event_time_ms ${time} is not a non-negative integer`);
  if (!Number.isFinite(amount) || amount < 0 || Math.abs(amount * 100 - Math.round(amount * 100)) > 1e-6) {
    return reject('invalid-value', `${amountField} ${amount} is not a non-negative amount with at most 2 decimals`);
  }
  if ((o.event_id as string) === '') return reject('invalid-value', 'event_id is empty');

  if (renamed) return reject('breaking-rename', `'amount' renamed to '${RENAMED_AMOUNT}' (schema_version ${o.schema_version})`);

  return {
    ok: true,
    event: {
      event_id: o.event_id as string,
      event_type: eventType as OrderEventType,
      schema_version: o.schema_version as 1 | 2,
      event_time_ms: time,
      key: o.key as string,
      order_id: o.order_id as string,
      amount,
      currency: o.currency as string,
      region: region as Region,
      customer: { id: customer.id as string, email: customer.email as string, card_last4: customer.card_last4 as string },
      coupon_code: o.schema_version === 2 ? (coupon as string | null) : null,
    },
  };
}

/** Checks ValidateOrderOptions up front (CONFIG_INVALID with the option name). */
export function checkValidateOrderOptions(options: ValidateOrderOptions): void {
  const max = options.maxRecordBytes;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) {
    throw new HarnessError('CONFIG_INVALID', `validateOrder: 'maxRecordBytes' must be a positive integer, got ${String(max)}`, {
      context: { option: 'maxRecordBytes', value: max },
    });
  }
}
