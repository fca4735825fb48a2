import { HarnessError } from '../../harness/errors.ts';
import { NO_BUGS, type BugName } from './bugs.ts';

/** What the window operator reads from an event (a MaskedOrder or SilverOrder fits). */
export interface WindowInput {
  event_time_ms: number;
  event_type: string;
  region: string;
  amount: number;
}

/** One closed tumbling window of one input partition and region. */
export interface WindowResult {
  partition: number;
  window_start_ms: number;
  window_end_ms: number;
  region: string;
  /** Every event counted in the window (all event types). */
  event_count: number;
  /** `order_placed` events. */
  order_count: number;
  /** Sum of `amount` over `order_paid` events, in integer cents (exact). */
  revenue_cents: number;
}

export type WindowAggregate = Omit<WindowResult, 'partition' | 'window_end_ms'>;

/** One partition's state: what a changelog keeps so another instance can take the partition over. */
export interface PartitionWindowState {
  partition: number;
  /** Largest event time seen on the partition (late events included); null before the first. */
  maxEventTimeMs: number | null;
  /** Windows ending at or before this were emitted; an event of such a window is late. Null: none yet. */
  closedThroughMs: number | null;
  /** Open windows, sorted by (window_start_ms, region). */
  windows: WindowAggregate[];
}

export interface WindowSnapshot {
  partitions: PartitionWindowState[];
}

export interface WindowOperatorOptions {
  /** Tumbling window size (event time). Default 60 000. */
  windowSizeMs?: number;
  /** Watermark lag behind the slowest active partition's max event time. Default 30 000. */
  allowedOutOfOrdernessMs?: number;
  /** Processing time without events after which a partition stops holding the watermark back. Default 30 000. */
  idleTimeoutMs?: number;
  /** 'ignore-watermark', 'drop-late-silently' and 'processing-time-windows' apply. */
  bugs?: ReadonlySet<BugName>;
}

export interface ProcessResult {
  emitted: WindowResult[];
  late: boolean;
}

interface PartitionSlot {
  maxEventTimeMs: number | null;
  closedThroughMs: number | null;
  lastActivityMs: number;
  windows: Map<string, WindowAggregate>;
  /** Planted bug 'processing-time-windows' only: processing time at which each open window got its first event. */
  openedAtMs: Map<string, number>;
}

export const DEFAULT_WINDOW_SIZE_MS = 60_000;
export const DEFAULT_ALLOWED_OUT_OF_ORDERNESS_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * Event-time tumbling windows per (input partition, window, region), closed by a watermark.
 *
 * Watermark W = min over assigned, non-idle partitions of (max event time seen on the
 * partition) - allowedOutOfOrdernessMs; none while some active partition has seen no event or
 * no partition is active. A partition is idle once `idleTimeoutMs` of processing time passed
 * without an event on it (or since its assignment). Each partition keeps `closedThroughMs`, the
 * largest W seen while it was assigned (so it never goes back): its windows with end <= that
 * are emitted (once; their state is dropped) and its later events for them are late.
 * State is sharded by input partition, so `revoke` hands a partition's state over and
 * `assign` takes it back on any instance, without double-emitting or losing a window.
 */
export class WindowOperator {
  readonly windowSizeMs: number;
  readonly allowedOutOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  private readonly ignoreWatermark: boolean;
  private readonly dropLate: boolean;
  private readonly processingTimeTimer: boolean;
  private readonly slots = new Map<number, PartitionSlot>();
  private nowMs = -Infinity;

  constructor(options: WindowOperatorOptions = {}) {
    this.windowSizeMs = check('windowSizeMs', options.windowSizeMs ?? DEFAULT_WINDOW_SIZE_MS, 1);
    this.allowedOutOfOrdernessMs = check('allowedOutOfOrdernessMs', options.allowedOutOfOrdernessMs ?? DEFAULT_ALLOWED_OUT_OF_ORDERNESS_MS, 0);
    this.idleTimeoutMs = check('idleTimeoutMs', options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, 1);
    const bugs = options.bugs ?? NO_BUGS;
    this.ignoreWatermark = bugs.has('ignore-watermark');
    this.dropLate = bugs.has('drop-late-silently');
    this.processingTimeTimer = bugs.has('processing-time-windows');
  }

  /** Start of the window holding an event time. */
  windowStart(eventTimeMs: number): number {
    return Math.floor(eventTimeMs / this.windowSizeMs) * this.windowSizeMs;
  }

  /** Counts one event of `partition` (assigning the partition if it was not), then emits what the watermark closed. */
  process(event: WindowInput, partition: number, processingTimeMs: number): ProcessResult {
    this.advanceClock(processingTimeMs);
    const slot = this.slots.get(partition) ?? this.addSlot(partition, null);
    slot.lastActivityMs = this.nowMs;
    const t = event.event_time_ms;
    const start = this.windowStart(t);
    const late = !this.ignoreWatermark && slot.closedThroughMs !== null && start + this.windowSizeMs <= slot.closedThroughMs;
    if (!late) {
      if (this.processingTimeTimer && !slot.windows.has(windowKey(start, event.region))) slot.openedAtMs.set(windowKey(start, event.region), this.nowMs);
      addTo(slot, start, event);
    }
    if (slot.maxEventTimeMs === null || t > slot.maxEventTimeMs) slot.maxEventTimeMs = t;
    return { emitted: this.advance(), late: late && !this.dropLate };
  }

  /**
   * A partition with records still waiting to be read is not idle, however long since its
   * last event: only a caught-up, quiet partition may stop holding the watermark back. (Without
   * this, a partition starved by a backlog elsewhere turns idle and its events become late.)
   */
  markBacklogged(partition: number, processingTimeMs: number): void {
    this.advanceClock(processingTimeMs);
    const slot = this.slots.get(partition);
    if (slot) slot.lastActivityMs = this.nowMs;
  }

  /** Lets processing time pass (idle partitions stop holding the watermark); emits what closes. */
  tick(processingTimeMs: number): WindowResult[] {
    this.advanceClock(processingTimeMs);
    return this.advance();
  }

  /** Current watermark, or null while it is held back (see the class comment). */
  watermark(): number | null {
    let min = Infinity;
    let active = 0;
    for (const slot of this.slots.values()) {
      if (this.nowMs - slot.lastActivityMs >= this.idleTimeoutMs) continue;
      if (slot.maxEventTimeMs === null) return null;
      active++;
      min = Math.min(min, slot.maxEventTimeMs);
    }
    return active === 0 ? null : min - this.allowedOutOfOrdernessMs;
  }

  /** Windows of this partition ending at or before the result are closed (null: none, or not assigned). */
  closedThrough(partition: number): number | null {
    return this.slots.get(partition)?.closedThroughMs ?? null;
  }

  /** The newest event time this partition has seen (null: none, or not assigned). */
  newestEventTime(partition: number): number | null {
    return this.slots.get(partition)?.maxEventTimeMs ?? null;
  }

  assigned(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

  /** Takes partitions over, from their changelog states when given (else empty); they count as active from now. */
  assign(partitions: readonly number[], processingTimeMs: number, states: readonly PartitionWindowState[] = []): void {
    this.advanceClock(processingTimeMs);
    const byPartition = new Map(states.map((s) => [s.partition, s]));
    for (const state of states) {
      if (!partitions.includes(state.partition)) {
        throw new HarnessError('INTERNAL', `WindowOperator.assign: state for partition ${state.partition}, which is not being assigned`);
      }
    }
    for (const partition of partitions) {
      if (this.slots.has(partition)) throw new HarnessError('INTERNAL', `WindowOperator.assign: partition ${partition} is already assigned`);
      this.addSlot(partition, byPartition.get(partition) ?? null);
    }
  }

  /** Gives partitions up; returns their states (for the changelog / the next owner). Unknown partitions are skipped. */
  revoke(partitions: readonly number[]): PartitionWindowState[] {
    const states: PartitionWindowState[] = [];
    for (const partition of [...partitions].sort((a, b) => a - b)) {
      const slot = this.slots.get(partition);
      if (!slot) continue;
      states.push(stateOf(partition, slot));
      this.slots.delete(partition);
    }
    return states;
  }

  /** End of input: emits every open window and closes each partition through its last window. */
  flush(): WindowResult[] {
    const emitted: WindowResult[] = [];
    for (const [partition, slot] of this.slots) {
      for (const w of slot.windows.values()) {
        emitted.push(this.result(partition, w));
        const end = w.window_start_ms + this.windowSizeMs;
        if (!this.ignoreWatermark && (slot.closedThroughMs === null || end > slot.closedThroughMs)) slot.closedThroughMs = end;
      }
      slot.windows.clear();
      slot.openedAtMs.clear();
    }
    return sortResults(emitted);
  }

  snapshot(): WindowSnapshot {
    return { partitions: [...this.slots.entries()].sort((a, b) => a[0] - b[0]).map(([p, slot]) => stateOf(p, slot)) };
  }

  /** Replaces all state with a snapshot's; its partitions become assigned and active from `processingTimeMs`. */
  restore(snapshot: WindowSnapshot, processingTimeMs: number): void {
    this.slots.clear();
    this.assign(snapshot.partitions.map((s) => s.partition), processingTimeMs, snapshot.partitions);
  }

  private advanceClock(processingTimeMs: number): void {
    if (processingTimeMs > this.nowMs) this.nowMs = processingTimeMs;
  }

  private addSlot(partition: number, state: PartitionWindowState | null): PartitionSlot {
    const slot: PartitionSlot = {
      maxEventTimeMs: state?.maxEventTimeMs ?? null,
      closedThroughMs: state?.closedThroughMs ?? null,
      lastActivityMs: this.nowMs,
      windows: new Map((state?.windows ?? []).map((w) => [windowKey(w.window_start_ms, w.region), { ...w }])),
      openedAtMs: new Map(this.processingTimeTimer ? (state?.windows ?? []).map((w) => [windowKey(w.window_start_ms, w.region), this.nowMs]) : []),
    };
    this.slots.set(partition, slot);
    return slot;
  }

  /** Closes what the watermark passed: each partition's windows with end <= its closedThroughMs. */
  private advance(): WindowResult[] {
    const emitted: WindowResult[] = [];
    if (this.processingTimeTimer) this.fireProcessingTimeTimers(emitted);
    if (this.ignoreWatermark) {
      // Planted bug: "a later event arrived, so the window is done", on any partition, with no
      // allowance for disorder, idleness or other partitions, and no memory of emitted windows.
      let max = -Infinity;
      for (const slot of this.slots.values()) if (slot.maxEventTimeMs !== null) max = Math.max(max, slot.maxEventTimeMs);
      for (const [partition, slot] of this.slots) this.closeThrough(partition, slot, max, emitted);
      return sortResults(emitted);
    }
    const w = this.watermark();
    if (w === null) return emitted;
    for (const [partition, slot] of this.slots) {
      if (slot.closedThroughMs !== null && slot.closedThroughMs >= w) continue;
      slot.closedThroughMs = w;
      this.closeThrough(partition, slot, w, emitted);
    }
    return sortResults(emitted);
  }

  private closeThrough(partition: number, slot: PartitionSlot, throughMs: number, out: WindowResult[]): void {
    for (const [key, w] of slot.windows) {
      if (w.window_start_ms + this.windowSizeMs > throughMs) continue;
      out.push(this.result(partition, w));
      slot.windows.delete(key);
      slot.openedAtMs.delete(key);
    }
  }

  /**
   * Planted bug 'processing-time-windows': a "safety" timer in processing time (the wall clock)
   * emits a window once window size + out-of-orderness has passed since its first event, so a
   * stalled watermark cannot hold it forever. Event time runs faster than that in every run, so
   * the watermark always wins, until the wall clock jumps: then every open window is emitted
   * half-full at once, and its later events open it again and emit it a second time.
   */
  private fireProcessingTimeTimers(out: WindowResult[]): void {
    const afterMs = this.windowSizeMs + this.allowedOutOfOrdernessMs;
    for (const [partition, slot] of this.slots) {
      for (const [key, openedAt] of slot.openedAtMs) {
        if (this.nowMs - openedAt < afterMs) continue;
        const w = slot.windows.get(key);
        if (w) out.push(this.result(partition, w));
        slot.windows.delete(key);
        slot.openedAtMs.delete(key);
      }
    }
  }

  private result(partition: number, w: WindowAggregate): WindowResult {
    return {
      partition,
      window_start_ms: w.window_start_ms,
      window_end_ms: w.window_start_ms + this.windowSizeMs,
      region: w.region,
      event_count: w.event_count,
      order_count: w.order_count,
      revenue_cents: w.revenue_cents,
    };
  }
}

function addTo(slot: PartitionSlot, start: number, event: WindowInput): void {
  const key = windowKey(start, event.region);
  let w = slot.windows.get(key);
  if (!w) slot.windows.set(key, (w = { window_start_ms: start, region: event.region, event_count: 0, order_count: 0, revenue_cents: 0 }));
  w.event_count++;
  if (event.event_type === 'order_placed') w.order_count++;
  if (event.event_type === 'order_paid') w.revenue_cents += Math.round(event.amount * 100);
}

function windowKey(start: number, region: string): string {
  return `${start}|${region}`;
}

function stateOf(partition: number, slot: PartitionSlot): PartitionWindowState {
  const windows = [...slot.windows.values()].map((w) => ({ ...w }));
  windows.sort((a, b) => a.window_start_ms - b.window_start_ms || compare(a.region, b.region));
  return { partition, maxEventTimeMs: slot.maxEventTimeMs, closedThroughMs: slot.closedThroughMs, windows };
}

/** Emission order: by window start, then partition, then region. */
export function sortResults(results: WindowResult[]): WindowResult[] {
  return results.sort((a, b) => a.window_start_ms - b.window_start_ms || a.partition - b.partition || compare(a.region, b.region));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function check(option: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new HarnessError('CONFIG_INVALID', `WindowOperator: '${option}' must be an integer >= ${min}, got ${String(value)}`, { context: { option, value } });
  }
  return value;
}
