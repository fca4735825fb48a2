import { Random, hashString } from '../../harness/random.ts';
import { envelope, round2, shortId, type Domain, type DomainContext, type DomainSource, type EventPayload, type EventStamp } from '../domain.ts';

export const ORDER_EVENT_TYPES = ['order_placed', 'order_paid', 'order_shipped', 'order_cancelled'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

export const REGIONS = ['eu-west', 'us-east', 'us-west', 'ap-south'] as const;
export type Region = (typeof REGIONS)[number];
const CURRENCY: Record<Region, string> = { 'eu-west': 'EUR', 'us-east': 'USD', 'us-west': 'USD', 'ap-south': 'INR' };

/** PII: email and card_last4 are personal data; reports must not print them. */
export interface Customer {
  id: string;
  email: string;
  card_last4: string;
}

export interface OrderEvent {
  event_id: string;
  event_type: OrderEventType;
  schema_version: number;
  event_time_ms: number;
  key: string;
  order_id: string;
  /** Major currency units, at most 2 decimals. */
  amount: number;
  currency: string;
  region: Region;
  customer: Customer;
  /** schema_version 2 ('add-optional' drift) only. */
  coupon_code?: string | null;
}

interface OpenOrder {
  orderId: string;
  key: string;
  amount: number;
  region: Region;
  customer: Customer;
  paid: boolean;
}

const PLACE_CHANCE = 0.35;
const MAX_OPEN = 256;

/** Customer attributes are a pure function of (seed, key), so a key always has the same email. */
function customerFor(context: DomainContext, key: string): { customer: Customer; region: Region } {
  const r = new Random(hashString(`${context.seed}:customer:${key}`));
  const { firstNames, lastNames, emailDomains } = context.pools;
  const email = `${r.pick(firstNames)}.${r.pick(lastNames)}${r.int(1, 99)}@${r.pick(emailDomains)}`;
  const customer = { id: key, email, card_last4: String(r.int(0, 9999)).padStart(4, '0') };
  return { customer, region: r.pick(REGIONS) };
}

/**
 * Orders follow a lifecycle: placed -> paid -> shipped, with cancellation possible before
 * shipping. Later events of an order repeat its key, amount, currency and customer.
 */
function createSource(context: DomainContext): DomainSource {
  const { random } = context;
  const open: OpenOrder[] = [];
  const customers = new Map<string, { customer: Customer; region: Region }>();

  const event = (stamp: EventStamp, type: OrderEventType, order: OpenOrder): EventPayload => ({
    ...envelope(stamp, type, order.key),
    order_id: order.orderId,
    amount: order.amount,
    currency: CURRENCY[order.region],
    region: order.region,
    customer: order.customer,
  });

  return {
    next(stamp, pickKey) {
      if (open.length === 0 || (open.length < MAX_OPEN && random.chance(PLACE_CHANCE))) {
        const key = pickKey();
        let known = customers.get(key);
        if (!known) customers.set(key, (known = customerFor(context, key)));
        const order: OpenOrder = {
          orderId: shortId(random, 'ORD'),
          key,
          amount: round2(random.int(199, 49_999) / 100),
          region: known.region,
          customer: known.customer,
          paid: false,
        };
        open.push(order);
        return event(stamp, 'order_placed', order);
      }
      const at = random.int(0, open.length - 1);
      const order = open[at]!;
      let type: OrderEventType;
      if (!order.paid) type = random.chance(0.9) ? 'order_paid' : 'order_cancelled';
      else type = random.chance(0.95) ? 'order_shipped' : 'order_cancelled';
      if (type === 'order_paid') order.paid = true;
      else {
        open[at] = open[open.length - 1]!;
        open.pop();
      }
      return event(stamp, type, order);
    },
  };
}

export const orders: Domain = {
  name: 'orders',
  keyPrefix: 'cust',
  eventTypes: ORDER_EVENT_TYPES,
  piiFields: ['customer.email', 'customer.card_last4'],
  createSource,
  optionalV2Field: { name: 'coupon_code', make: (random, pools) => (random.chance(0.3) ? random.pick(pools.couponCodes) : null) },
  breakingRename: { from: 'amount', to: 'total_amount' },
  requiredFields: ['order_id', 'amount', 'currency', 'customer', 'event_time_ms'],
  wrongType: { field: 'amount', make: (random) => `${random.int(1, 999)}.${String(random.int(0, 99)).padStart(2, '0')}` },
};
