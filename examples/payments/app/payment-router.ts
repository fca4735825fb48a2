import type { IHeaders } from 'kafkajs';
import { maskPayment } from './mask-payment.ts';
import type { MerchantWindow, MerchantWindows } from './merchant-windows.ts';
import { validatePayment } from './validate-payment.ts';

/** One input record, as kafkajs hands it over. */
export interface InputRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
  offset: string;
}

/** One record to write, with its partition chosen here (the writer sends each topic-partition on its own). */
export interface OutputRecord {
  topic: string;
  partition: number;
  key: Buffer | string | null;
  value: Buffer | string;
  headers?: IHeaders;
}

export interface RouterTopics {
  input: string;
  records: string;
  aggregate: string;
  dlq: string;
  late: string;
  /** Partitions of the aggregate topic: a merchant's windows always land on the same one. */
  aggregatePartitions: number;
}

export interface RouteCounts {
  records: number;
  dlq: number;
  late: number;
  windows: number;
}

/** FNV-1a: a stable partition per merchant, whatever the process. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Turns input records into the outputs of one unit of work: a clean copy of each valid payment
 * (records), the original bytes of each invalid one with its reason (dlq), valid payments whose
 * window had closed (late, masked like records), and the merchant windows that closed. Records,
 * DLQ and late records keep the input's key, headers (sp-event-id, sp-send-ts: how the harness
 * traces and times them) and partition number, so per-key order holds. Pure apart from the
 * windows it advances.
 */
export class PaymentRouter {
  readonly counts: RouteCounts = { records: 0, dlq: 0, late: 0, windows: 0 };

  constructor(
    private readonly topics: RouterTopics,
    private readonly windows: MerchantWindows,
    /** Top-level fields clean and late records keep; all when undefined. */
    private readonly outputFields?: readonly string[],
  ) {}

  route(partition: number, records: readonly InputRecord[]): OutputRecord[] {
    const outputs: OutputRecord[] = [];
    for (const record of records) {
      const headers: IHeaders = { ...(record.headers ?? {}), 'sp-source': `${this.topics.input}/${partition}/${record.offset}` };
      const checked = validatePayment(record.value);
      if (!checked.ok) {
        this.counts.dlq++;
        outputs.push({
          topic: this.topics.dlq, partition, key: record.key, value: record.value ?? Buffer.alloc(0),
          headers: { ...headers, 'sp-dlq-reason': checked.reason, 'sp-dlq-detail': checked.detail },
        });
        continue;
      }
      const { payment, eventTimeMs } = checked;
      const closed = this.windows.add(payment.merchant.id, eventTimeMs, Math.round(payment.amount * 100));
      const late = closed === 'late';
      this.counts[late ? 'late' : 'records']++;
      outputs.push({ topic: late ? this.topics.late : this.topics.records, partition, key: record.key, value: JSON.stringify(this.project(maskPayment(payment))), headers });
      if (!late) outputs.push(...this.windowRecords(closed));
    }
    return outputs;
  }

  private project(clean: Record<string, unknown>): Record<string, unknown> {
    if (!this.outputFields) return clean;
    return Object.fromEntries(Object.entries(clean).filter(([field]) => this.outputFields!.includes(field)));
  }

  /** Every open window as output records (end of input). */
  flush(): OutputRecord[] {
    return this.windowRecords(this.windows.flush());
  }

  private windowRecords(closed: MerchantWindow[]): OutputRecord[] {
    this.counts.windows += closed.length;
    return closed.map((w) => ({
      topic: this.topics.aggregate,
      partition: hash(w.merchant_id) % this.topics.aggregatePartitions,
      key: w.merchant_id,
      value: JSON.stringify(w),
    }));
  }
}
