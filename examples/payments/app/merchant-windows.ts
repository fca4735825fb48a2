/** One closed window of one merchant: the aggregate output's value. */
export interface MerchantWindow {
  merchant_id: string;
  window_start_ms: number;
  window_end_ms: number;
  /** Valid payments counted (every type: authorized, captured, refunded). */
  payments: number;
  /** Σ round(amount × 100): integer cents, so the total is exact (a float sum of 2-decimal amounts is not). */
  amount_total_cents: number;
}

export interface WindowOptions {
  /** Tumbling window size in event time. */
  sizeMs: number;
  /** How far the watermark trails the largest event time seen. */
  graceMs: number;
}

/** What the windows hold, for rolling back a unit of work whose transaction did not commit. */
export interface WindowsSnapshot {
  open: MerchantWindow[];
  maxEventTimeMs: number | null;
  closedThroughMs: number;
}

/**
 * Tumbling event-time windows per merchant, over every partition this instance reads.
 *
 * Watermark = the largest event time seen − grace (Spark's global max minus delay). A window
 * [start, end) is emitted once, when the watermark reaches its end; an event of a window that
 * is already closed (end <= closedThroughMs) is late and counted nowhere. `flush` closes every
 * open window at once: for the end of the input, when no later event will ever move the
 * watermark (an event-time watermark never closes the last windows by itself).
 */
export class MerchantWindows {
  private readonly open = new Map<string, MerchantWindow>();
  private maxEventTimeMs: number | null = null;
  /** Windows ending at or before this are closed (emitted, or never opened). */
  private closedThroughMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WindowOptions) {}

  /** Counts one payment; returns the windows its event time closed, or 'late' if its own window is closed. */
  add(merchantId: string, eventTimeMs: number, amountCents: number): MerchantWindow[] | 'late' {
    const { sizeMs } = this.options;
    const start = Math.floor(eventTimeMs / sizeMs) * sizeMs;
    if (start + sizeMs <= this.closedThroughMs) return 'late';
    const key = `${merchantId}\u0000${start}`;
    const window = this.open.get(key) ?? { merchant_id: merchantId, window_start_ms: start, window_end_ms: start + sizeMs, payments: 0, amount_total_cents: 0 };
    window.payments += 1;
    window.amount_total_cents += amountCents;
    this.open.set(key, window);
    this.maxEventTimeMs = Math.max(this.maxEventTimeMs ?? eventTimeMs, eventTimeMs);
    return this.closeThrough(this.maxEventTimeMs - this.options.graceMs);
  }

  /** Closes every open window (end of input); later events of those windows are late. */
  flush(): MerchantWindow[] {
    const lastEnd = Math.max(...[...this.open.values()].map((w) => w.window_end_ms));
    return this.open.size === 0 ? [] : this.closeThrough(lastEnd);
  }

  get openCount(): number {
    return this.open.size;
  }

  get watermarkMs(): number | null {
    return this.maxEventTimeMs === null ? null : this.maxEventTimeMs - this.options.graceMs;
  }

  snapshot(): WindowsSnapshot {
    return { open: [...this.open.values()].map((w) => ({ ...w })), maxEventTimeMs: this.maxEventTimeMs, closedThroughMs: this.closedThroughMs };
  }

  restore(snapshot: WindowsSnapshot): void {
    this.open.clear();
    for (const w of snapshot.open) this.open.set(`${w.merchant_id}\u0000${w.window_start_ms}`, { ...w });
    this.maxEventTimeMs = snapshot.maxEventTimeMs;
    this.closedThroughMs = snapshot.closedThroughMs;
  }

  /** Moves the closed point forward (never back) and removes the windows it passed, oldest first. */
  private closeThrough(timeMs: number): MerchantWindow[] {
    if (timeMs <= this.closedThroughMs) return [];
    this.closedThroughMs = timeMs;
    const closed = [...this.open.entries()].filter(([, w]) => w.window_end_ms <= timeMs);
    for (const [key] of closed) this.open.delete(key);
    return closed.map(([, w]) => w).sort((a, b) => a.window_start_ms - b.window_start_ms || a.merchant_id.localeCompare(b.merchant_id));
  }
}
