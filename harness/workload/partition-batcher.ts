/**
 * Cuts produce batches off the front of a partition's queue: in arrival order, bounded in
 * records and bytes (a batch over the broker's message.max.bytes, 1 MiB by default, is
 * refused whole). A record of `soloBytes` or more goes alone, so an oversized record fails
 * by itself and takes no valid neighbour along.
 */
import type { GeneratedRecord } from '../../generators/record.ts';

export interface PendingSend {
  sendId: number;
  record: GeneratedRecord;
  partition: number;
  /** When the arrival started (epoch µs): the history's invoke_us and the sp-send-ts header. */
  invokeUs: number;
}

export interface BatchLimits {
  maxBatchMessages: number;
  maxBatchBytes: number;
  soloBytes: number;
  /** How long a partition's batch may wait for more records before it leaves short (0: never). */
  lingerMs?: number;
}

/** Per-record bytes beyond key and value: our two headers plus record framing, roughly. */
export const RECORD_OVERHEAD_BYTES = 80;

export function recordBytes(record: GeneratedRecord): number {
  return (record.wire ?? record.value).length + record.key.length + RECORD_OVERHEAD_BYTES;
}

/** A FIFO of one partition's sends waiting for their turn (O(1) take from the front). */
export class SendQueue {
  private items: PendingSend[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(send: PendingSend): void {
    this.items.push(send);
  }

  /** The oldest waiting send, if any. */
  peek(): PendingSend | undefined {
    return this.items[this.head];
  }

  /** Removes and returns the next batch (empty when the queue is). */
  takeBatch(limits: BatchLimits): PendingSend[] {
    const batch: PendingSend[] = [];
    let bytes = 0;
    while (this.head < this.items.length) {
      const next = this.items[this.head]!;
      const size = recordBytes(next.record);
      const solo = size >= limits.soloBytes;
      if (batch.length > 0 && (solo || batch.length >= limits.maxBatchMessages || bytes + size > limits.maxBatchBytes)) break;
      batch.push(next);
      bytes += size;
      this.head += 1;
      if (solo) break;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /** Empties the queue, returning what was in it. */
  drain(): PendingSend[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}
