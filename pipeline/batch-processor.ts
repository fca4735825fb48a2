import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { RegistryDecoder } from './registry-decoder.ts';
import type { OrderPipeline, PartitionState } from './operators/order-pipeline.ts';
import type { WindowResult } from './operators/window-operator.ts';
import type { OutputRecord } from './output-writer.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import type { PipelineMetrics } from './pipeline-metrics.ts';

/** Headers that carry provenance from input to every output, so the harness can trace records. */
function provenance(message: KafkaMessage, topic: string, partition: number): IHeaders {
  return {
    ...(message.headers ?? {}),
    'sp-source': `${topic}/${partition}/${message.offset}`,
  };
}

/** customer.email of a raw input ('' when there is none). */
function rawEmail(value: Buffer): string {
  try {
    return String((JSON.parse(value.toString('utf8')) as { customer?: { email?: unknown } }).customer?.email ?? '');
  } catch {
    return '';
  }
}

/**
 * Turns one fetched batch of one input partition into the outputs of that unit of work:
 * bronze (every record, raw), silver (valid, deduplicated, masked, on time), late, DLQ (with
 * reason and original bytes), gold (windows the watermark closed), and the changelog of every
 * partition whose state changed. Pure apart from the operator state it advances.
 */
export class BatchProcessor {
  /** The changelog value last written per partition (in a unit of work that then committed or failed). */
  private readonly written = new Map<number, string>();

  constructor(
    private readonly config: PipelineConfig,
    private readonly pipeline: OrderPipeline,
    private readonly metrics: PipelineMetrics,
    private readonly changelogRecord: (state: PartitionState) => { key: string; value: string; partition: number },
    private readonly changelogTopic: string,
    /** Decodes registry wire-format values (when the run has a registry). */
    private readonly registry?: RegistryDecoder,
  ) {}

  async process(partition: number, messages: KafkaMessage[], nowMs: number): Promise<OutputRecord[]> {
    const { config } = this;
    const outputs: OutputRecord[] = [];
    const emitted: WindowResult[] = [];
    // The planted reorder bug: records of one key handled out of partition order.
    const ordered = config.bugs.has('reorder-within-key') ? [...messages].reverse() : messages;
    for (const message of ordered) {
      if (config.delayPerRecordMs > 0) await new Promise((r) => setTimeout(r, config.delayPerRecordMs));
      const value = message.value ?? Buffer.alloc(0);
      const headers = provenance(message, config.inputTopic, partition);
      // The planted pii-in-header bug: a tracing header with the raw email on what is published.
      const published = config.bugs.has('pii-in-header') ? { ...headers, 'sp-customer-email': rawEmail(value) } : headers;
      outputs.push({ topic: config.bronzeTopic, partition, message: { key: message.key, value, headers } });
      // A registry wire-format value is decoded first; one that cannot be goes to the DLQ with the reason.
      const wire = this.registry ? await this.registry.decode(value) : undefined;
      if (wire && !wire.ok) {
        this.metrics.add('records_dlq');
        outputs.push({ topic: config.dlqTopic, partition, message: { key: message.key, value, headers: { ...headers, 'sp-dlq-reason': wire.reason, 'sp-dlq-detail': wire.detail } } });
        continue;
      }
      const step = this.pipeline.process({ value: wire?.json ?? value, partition }, nowMs);
      emitted.push(...step.emitted);
      const route = step.route;
      this.metrics.add(`records_${route.kind}`);
      switch (route.kind) {
        case 'dlq':
          if (config.bugs.has('poison-crash-loop')) throw new Error(`cannot process ${config.inputTopic}/${partition}/${message.offset}: ${route.reason}`);
          outputs.push({
            topic: config.dlqTopic,
            partition,
            message: { key: message.key, value, headers: { ...headers, 'sp-dlq-reason': route.reason, 'sp-dlq-detail': route.detail.slice(0, 500) } },
          });
          break;
        case 'late':
          outputs.push({ topic: config.lateTopic, partition, message: { key: route.event.key, value: JSON.stringify(route.event), headers: published } });
          break;
        case 'windowed':
          outputs.push({ topic: config.silverTopic, partition, message: { key: route.event.key, value: JSON.stringify(route.event), headers: published } });
          break;
        case 'duplicate':
        case 'dropped':
          break;
      }
    }
    outputs.push(...this.closedWindows(emitted));
    return outputs;
  }

  /**
   * Gold records for closed windows, plus the state of every owned partition: a watermark
   * move changes every partition's closed point even when no window closes, and a restore
   * from an older closed point would turn late records on time.
   */
  closedWindows(emitted: WindowResult[]): OutputRecord[] {
    const outputs: OutputRecord[] = emitted.map((w) => ({
      topic: this.config.goldTopic,
      partition: w.partition,
      message: { key: `${w.partition}|${w.window_start_ms}|${w.region}`, value: JSON.stringify(w) },
    }));
    this.metrics.add('windows_emitted', emitted.length);
    for (const state of this.pipeline.snapshot().partitions) {
      const record = this.changelogRecord(state);
      // An unchanged state is already the newest committed value: one request less per partition.
      if (this.written.get(record.partition) === record.value) continue;
      this.written.set(record.partition, record.value);
      outputs.push({ topic: this.changelogTopic, partition: record.partition, message: { key: record.key, value: record.value } });
    }
    return outputs;
  }

  /**
   * Forgets what the changelog holds, so the next unit of work writes every partition's state.
   * Called whenever state is restored: after a failed (aborted) write the cache would be ahead
   * of the committed changelog.
   */
  forgetWrittenState(): void {
    this.written.clear();
  }
}
