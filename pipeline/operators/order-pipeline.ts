import { HarnessError } from '../../harness/errors.ts';
import { NO_BUGS, type BugName } from './bugs.ts';
import { Deduper, type DeduperState } from './dedupe.ts';
import { PiiMasker, type MaskedOrder } from './pii-mask.ts';
import { checkValidateOrderOptions, validateOrder, type RejectReason } from './validate-order.ts';
import { WindowOperator, type PartitionWindowState, type WindowResult } from './window-operator.ts';

/** Where one input record went. Every record gets exactly one route. */
export type Route =
  | { kind: 'dlq'; reason: RejectReason; detail: string }
  | { kind: 'duplicate'; event_id: string }
  | { kind: 'late'; event: MaskedOrder }
  | { kind: 'windowed'; event: MaskedOrder }
  /** Only with the planted 'drop-poison-silently' bug: the record vanishes (no DLQ write). */
  | { kind: 'dropped'; reason: RejectReason; detail: string };

export interface PipelineStep {
  route: Route;
  /** Windows the watermark closed while processing this record. */
  emitted: WindowResult[];
}

export interface OrderPipelineOptions {
  /** HMAC key for email tokens. */
  piiSecret: string;
  maxRecordBytes?: number;
  windowSizeMs?: number;
  allowedOutOfOrdernessMs?: number;
  idleTimeoutMs?: number;
  /** Event-time retention of dedupe ids behind a partition's closed windows; >= windowSizeMs. Default windowSizeMs + allowedOutOfOrdernessMs. */
  dedupeRetentionMs?: number;
  /** Operator-layer bugs apply here (see bugs.ts); process-layer bugs are ignored. */
  bugs?: ReadonlySet<BugName>;
}

/** One partition's whole state (window + dedupe): the unit a changelog stores and a rebalance moves. */
export interface PartitionState {
  partition: number;
  window: PartitionWindowState;
  dedupe: DeduperState;
}

export interface PipelineSnapshot {
  partitions: PartitionState[];
}

/**
 * The reference pipeline's logic for one record: validate (Bronze -> Silver) -> dedupe by
 * event_id -> mask PII -> event-time windows (Gold). Pure and deterministic: time comes in as
 * arguments, state goes out as snapshots. Dedupe state is sharded by partition like window
 * state (a re-send has the same key, so the same partition).
 */
export class OrderPipeline {
  private readonly bugs: ReadonlySet<BugName>;
  private readonly maxRecordBytes: number | undefined;
  private readonly retentionMs: number;
  private readonly masker: PiiMasker;
  private readonly windows: WindowOperator;
  private readonly dedupers = new Map<number, Deduper>();

  constructor(options: OrderPipelineOptions) {
    this.bugs = options.bugs ?? NO_BUGS;
    checkValidateOrderOptions(options);
    this.maxRecordBytes = options.maxRecordBytes;
    this.masker = new PiiMasker({ secret: options.piiSecret, bugs: this.bugs });
    this.windows = new WindowOperator({ ...options, bugs: this.bugs });
    this.retentionMs = options.dedupeRetentionMs ?? this.windows.windowSizeMs + this.windows.allowedOutOfOrdernessMs;
    if (!Number.isFinite(this.retentionMs) || this.retentionMs < this.windows.windowSizeMs) {
      throw new HarnessError('CONFIG_INVALID', `OrderPipeline: 'dedupeRetentionMs' must be >= windowSizeMs (${this.windows.windowSizeMs}), got ${this.retentionMs}`, {
        context: { option: 'dedupeRetentionMs', value: this.retentionMs },
      });
    }
  }

  process(record: { value: Uint8Array; partition: number }, processingTimeMs: number): PipelineStep {
    const { partition } = record;
    const parsed = validateOrder(record.value, { maxRecordBytes: this.maxRecordBytes });
    if (!parsed.ok) {
      const kind = this.bugs.has('drop-poison-silently') ? 'dropped' : 'dlq';
      return { route: { kind, reason: parsed.reason, detail: parsed.detail }, emitted: this.windows.tick(processingTimeMs) };
    }
    const { event } = parsed;
    if (this.deduper(partition).check(event.event_id, event.event_time_ms) === 'duplicate') {
      return { route: { kind: 'duplicate', event_id: event.event_id }, emitted: this.windows.tick(processingTimeMs) };
    }
    const masked = this.masker.mask(event);
    const { emitted, late } = this.windows.process(masked, partition, processingTimeMs);
    this.evict();
    return { route: { kind: late ? 'late' : 'windowed', event: masked }, emitted };
  }

  /** See WindowOperator.markBacklogged: records of this partition are still waiting to be read. */
  markBacklogged(partition: number, processingTimeMs: number): void {
    this.windows.markBacklogged(partition, processingTimeMs);
  }

  tick(processingTimeMs: number): WindowResult[] {
    const emitted = this.windows.tick(processingTimeMs);
    this.evict();
    return emitted;
  }

  flush(): WindowResult[] {
    return this.windows.flush();
  }

  watermark(): number | null {
    return this.windows.watermark();
  }

  assigned(): number[] {
    return this.windows.assigned();
  }

  assign(partitions: readonly number[], processingTimeMs: number, states: readonly PartitionState[] = []): void {
    this.windows.assign(partitions, processingTimeMs, states.map((s) => s.window));
    for (const state of states) this.deduper(state.partition).restore(state.dedupe);
  }

  revoke(partitions: readonly number[]): PartitionState[] {
    const windows = this.windows.revoke(partitions);
    return windows.map((window) => {
      const dedupe = this.dedupers.get(window.partition)?.snapshot() ?? { entries: [] };
      this.dedupers.delete(window.partition);
      return { partition: window.partition, window, dedupe };
    });
  }

  snapshot(): PipelineSnapshot {
    return {
      partitions: this.windows.snapshot().partitions.map((window) => ({
        partition: window.partition,
        window,
        dedupe: this.dedupers.get(window.partition)?.snapshot() ?? { entries: [] },
      })),
    };
  }

  restore(snapshot: PipelineSnapshot, processingTimeMs: number): void {
    this.dedupers.clear();
    this.windows.restore({ partitions: snapshot.partitions.map((s) => s.window) }, processingTimeMs);
    for (const state of snapshot.partitions) this.deduper(state.partition).restore(state.dedupe);
  }

  private deduper(partition: number): Deduper {
    let deduper = this.dedupers.get(partition);
    if (!deduper) this.dedupers.set(partition, (deduper = new Deduper({ retentionMs: this.retentionMs, bugs: this.bugs })));
    return deduper;
  }

  /**
   * Forgets ids far enough behind each partition's closed windows that a re-send can only be
   * late, and never before the partition's own events have moved on: other partitions carry the
   * watermark past a stalled one (it turns idle while its leader is down), and its re-sends,
   * read once it resumes, must still find their ids (the `dedupesResends` promise counts from
   * the newest event sent before the re-send).
   */
  private evict(): void {
    for (const [partition, deduper] of this.dedupers) {
      const closed = this.windows.closedThrough(partition);
      const newest = this.windows.newestEventTime(partition);
      if (closed !== null && newest !== null) deduper.evict(Math.min(closed, newest - this.windows.allowedOutOfOrdernessMs));
    }
  }
}
