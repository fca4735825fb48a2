import { createHmac } from 'node:crypto';
import { HarnessError } from '../../harness/errors.ts';
import { NO_BUGS, type BugName } from './bugs.ts';
import type { SilverOrder } from './validate-order.ts';

/**
 * An order safe to publish: the customer's email is replaced by a keyed token and every card
 * field is gone. Built field by field from an allow-list, so a field added upstream never leaks.
 */
export interface MaskedOrder extends Omit<SilverOrder, 'customer' | 'coupon_code'> {
  /** Absent only with the planted 'drop-new-field' bug. */
  coupon_code?: string | null;
  customer: {
    id: string;
    /** `tok_` + the first 16 hex digits of HMAC-SHA256(secret, trimmed lower-case email). */
    email_token: string;
    /** Present only with the planted 'pii-leak' bug. */
    email?: string;
  };
}

export interface PiiMaskerOptions {
  /** HMAC key; tokens are stable for one secret and unlinkable without it. Non-empty. */
  secret: string;
  /** 'pii-leak': the raw email is kept beside its token; 'drop-new-field': coupon_code (schema v2) is left out. */
  bugs?: ReadonlySet<BugName>;
}

export const EMAIL_TOKEN_PATTERN = /^tok_[0-9a-f]{16}$/;

/** Tokenises emails (deterministic keyed hash, so joins by customer still work) and drops card data. */
export class PiiMasker {
  private readonly secret: string;
  private readonly leak: boolean;
  private readonly dropCoupon: boolean;
  private readonly cache = new Map<string, string>();

  constructor(options: PiiMaskerOptions) {
    if (typeof options.secret !== 'string' || options.secret.length === 0) {
      throw new HarnessError('CONFIG_INVALID', "PiiMasker: 'secret' must be a non-empty string", { context: { option: 'secret' } });
    }
    this.secret = options.secret;
    this.leak = (options.bugs ?? NO_BUGS).has('pii-leak');
    this.dropCoupon = (options.bugs ?? NO_BUGS).has('drop-new-field');
  }

  token(email: string): string {
    const normalized = email.trim().toLowerCase();
    let token = this.cache.get(normalized);
    if (token === undefined) {
      token = `tok_${createHmac('sha256', this.secret).update(normalized, 'utf8').digest('hex').slice(0, 16)}`;
      if (this.cache.size >= 100_000) this.cache.clear();
      this.cache.set(normalized, token);
    }
    return token;
  }

  mask(order: SilverOrder): MaskedOrder {
    const customer: MaskedOrder['customer'] = { id: order.customer.id, email_token: this.token(order.customer.email) };
    if (this.leak) customer.email = order.customer.email;
    return {
      event_id: order.event_id,
      event_type: order.event_type,
      schema_version: order.schema_version,
      event_time_ms: order.event_time_ms,
      key: order.key,
      order_id: order.order_id,
      amount: order.amount,
      currency: order.currency,
      region: order.region,
      customer,
      ...(this.dropCoupon ? {} : { coupon_code: order.coupon_code }),
    };
  }
}
