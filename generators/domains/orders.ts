/** The shape of an orders event (the domain itself is orders.domain.json). */
export const ORDER_EVENT_TYPES = ['order_placed', 'order_paid', 'order_shipped', 'order_cancelled'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

export const REGIONS = ['eu-west', 'us-east', 'us-west', 'ap-south'] as const;
export type Region = (typeof REGIONS)[number];

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
