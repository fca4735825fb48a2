import type { Kafka, Producer } from 'kafkajs';
import type { OutputRecord } from './payment-router.ts';

/** The input position a unit of work covers: committed in the same transaction as its outputs. */
export interface InputPosition {
  topic: string;
  partition: number;
  /** The next offset to read (last processed + 1). */
  next: string;
}

/**
 * Writes units of work exactly once: one idempotent transactional producer per instance
 * (transactional.id `<group>-<instance>`: a restarted instance fences its predecessor and
 * aborts its open transaction), outputs plus the consumer group's input offsets (sendOffsets)
 * in one transaction, read by read_committed consumers. Each topic-partition is its own send,
 * in turn: kafkajs retries a multi-broker send after a partial failure by re-sending partitions
 * that had already succeeded with new sequence numbers, which the broker cannot deduplicate.
 */
export class TransactionalWriter {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly transactionalId: string,
    private readonly groupId: string,
  ) {}

  async write(outputs: readonly OutputRecord[], position?: InputPosition): Promise<void> {
    if (outputs.length === 0 && !position) return;
    const producer = await this.connected();
    const tx = await producer.transaction();
    try {
      for (const [, part] of byTopicPartition(outputs)) {
        const { topic, partition } = part[0]!;
        await tx.send({ topic, acks: -1, messages: part.map((o) => ({ key: o.key, value: o.value, headers: o.headers, partition })) });
      }
      if (position) {
        await tx.sendOffsets({ consumerGroupId: this.groupId, topics: [{ topic: position.topic, partitions: [{ partition: position.partition, offset: position.next }] }] });
      }
      await tx.commit();
    } catch (error) {
      await tx.abort().catch(() => undefined);
      throw error;
    }
  }

  /** Drops the producer after a failed transaction: the next write starts a fresh one, whose InitProducerId aborts anything left open. */
  async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ transactionalId: this.transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 30_000 });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }
}

function byTopicPartition(outputs: readonly OutputRecord[]): Map<string, OutputRecord[]> {
  const parts = new Map<string, OutputRecord[]>();
  for (const o of outputs) {
    const id = `${o.topic}\u0000${o.partition}`;
    const part = parts.get(id);
    if (part) part.push(o);
    else parts.set(id, [o]);
  }
  return parts;
}
