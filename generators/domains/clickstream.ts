/** The shape of a clickstream event (the domain itself is clickstream.domain.json). */
export const CLICKSTREAM_EVENT_TYPES = ['page_view', 'add_to_cart', 'checkout'] as const;
export type ClickstreamEventType = (typeof CLICKSTREAM_EVENT_TYPES)[number];

export interface ClickstreamEvent {
  event_id: string;
  event_type: ClickstreamEventType;
  schema_version: number;
  event_time_ms: number;
  key: string;
  session_id: string;
  user_id: string;
  url: string;
  /** schema_version 2 ('add-optional' drift) only. */
  referrer?: string | null;
}
