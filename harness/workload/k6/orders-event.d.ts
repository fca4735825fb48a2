// Types for orders-event.js (plain JS so k6 can import it too).
import type { OrderEvent } from '../../../generators/domains/orders.ts';

export declare const GAP: number;
export declare function hash32(text: string): number;
export declare function prng(seed: number): () => number;
export interface OrderEventOptions {
  seed: number | string;
  keyCount?: number;
  startMs?: number;
  ratePerSec?: number;
}
export declare function orderEvent(index: number, options: OrderEventOptions): OrderEvent;
