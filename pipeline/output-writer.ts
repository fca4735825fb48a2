import type { Kafka, Message, Producer } from 'kafkajs';
import type { DeliveryMode } from './pipeline-config.ts';

export interface OutputRecord {
  topic: string;
  message: Message;
  /** Output partition: a window/record stays on its input partition number. */
  partition?: number;
}

export interface InputOffsets {
  topic: string;
  partition: number;
  /** The next offset to read (last processed + 1). */
  next: string;
}

/**
 * Writes one unit of work: outputs plus the input offsets they cover. Exactly-once: one
 * transactional producer per input partition (transactional id `<group>-<topic>-<p>`, which
 * fences a zombie owner of the same partition, since kafkajs sends TxnOffsetCommit without
 * KIP-447 member fencing), outputs and offsets in one transaction. At-least-once: outputs
 * first with an idempotent producer, then the offsets; a crash in between re-sends.
 */
export class OutputWriter {
  private readonly transactional = new Map<number, Producer>();
  private plain: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly mode: DeliveryMode,
    private readonly groupId: string,
    private readonly inputTopic: string,
    private readonly commitOffsets: (offsets: InputOffsets) => Promise<void>,
  ) {}

  /**
   * Takes ownership of partitions: a fresh transactional producer per partition whose
   * InitProducerId fences every older owner and waits out (or aborts) its open transaction.
   * Must happen before the committed offsets and the changelog are read, or a zombie's last
   * commit could land after we read them (kafkajs has no KIP-447 stable offset fetch).
   */
  async fence(partitions: number[]): Promise<void> {
    if (this.mode !== 'exactly-once') return;
    await Promise.all(
      partitions.map(async (p) => {
        await this.transactional.get(p)?.disconnect().catch(() => undefined);
        this.transactional.delete(p);
        const producer = await this.producerFor(p);
        await (await producer.transaction()).abort();
      }),
    );
  }

  async write(outputs: OutputRecord[], offsets: InputOffsets | undefined, ownerPartition: number): Promise<void> {
    const byTopic = groupByTopic(outputs);
    if (this.mode === 'at-least-once') {
      const producer = await this.plainProducer();
      if (byTopic.length > 0) await producer.sendBatch({ acks: -1, topicMessages: byTopic });
      if (offsets) await this.commitOffsets(offsets);
      return;
    }
    const producer = await this.producerFor(ownerPartition);
    const tx = await producer.transaction();
    try {
      // One request per topic-partition, in turn. kafkajs retries a multi-partition sendBatch
      // after a partial failure by re-sending partitions that had already succeeded on
      // another broker with *new* sequence numbers, which the broker cannot deduplicate
      // (seen here: DLQ records written twice inside one committed transaction).
      for (const { topic, messages } of byTopic) {
        for (const [partition, part] of byPartition(messages)) {
          await tx.send({ topic, acks: -1, messages: part.map((m) => ({ ...m, partition })) });
        }
      }
      if (offsets) {
        await tx.sendOffsets({ consumerGroupId: this.groupId, topics: [{ topic: offsets.topic, partitions: [{ partition: offsets.partition, offset: offsets.next }] }] });
      }
      await tx.commit();
    } catch (error) {
      await tx.abort().catch(() => undefined);
      throw error;
    }
  }

  /** Writes outputs outside any transaction: only for the planted `commit-before-process` path. */
  async writeWithoutTransaction(outputs: OutputRecord[]): Promise<void> {
    const byTopic = groupByTopic(outputs);
    if (byTopic.length > 0) await (await this.plainProducer()).sendBatch({ acks: -1, topicMessages: byTopic });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.transactional.values(), this.plain].filter((p): p is Producer => p !== undefined).map((p) => p.disconnect()));
  }

  private async producerFor(partition: number): Promise<Producer> {
    let producer = this.transactional.get(partition);
    if (!producer) {
      producer = this.kafka.producer({ transactionalId: `${this.groupId}-${this.inputTopic}-${partition}`, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 30_000 });
      this.transactional.set(partition, producer);
      await producer.connect();
    }
    return producer;
  }

  private async plainProducer(): Promise<Producer> {
    if (!this.plain) {
      this.plain = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.plain.connect();
    }
    return this.plain;
  }
}

function byPartition(messages: Message[]): Map<number, Message[]> {
  const parts = new Map<number, Message[]>();
  for (const m of messages) parts.set(m.partition ?? -1, [...(parts.get(m.partition ?? -1) ?? []), m]);
  return parts;
}

function groupByTopic(outputs: OutputRecord[]) {
  const topics = new Map<string, Message[]>();
  for (const o of outputs) {
    const list = topics.get(o.topic) ?? [];
    list.push(o.partition === undefined ? o.message : { ...o.message, partition: o.partition });
    topics.set(o.topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
