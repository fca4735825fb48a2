import type { Kafka } from 'kafkajs';
import { readToEnd } from '../harness/kafka/read-to-end.ts';
import { createTopicsWithLeaders } from '../harness/kafka/create-topics.ts';
import type { PartitionState } from './operators/order-pipeline.ts';

/**
 * Per-partition operator state in a compacted topic, keyed by input partition. Written in
 * the same transaction as the outputs and the input offsets, so after a crash the newest
 * committed value is exactly the state at the committed offset.
 */
export class StateChangelog {
  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
  ) {}

  async ensureTopic(partitions: number, replicationFactor: number): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      if ((await admin.listTopics()).includes(this.topic)) return;
      // Both instances may create it at once: kafkajs takes TOPIC_ALREADY_EXISTS as done.
      await createTopicsWithLeaders(admin, [{ topic: this.topic, numPartitions: partitions, replicationFactor, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }]);
    } finally {
      await admin.disconnect();
    }
  }

  record(state: PartitionState): { key: string; value: string; partition: number } {
    return { key: String(state.partition), value: JSON.stringify(state), partition: state.partition };
  }

  /** Reads the newest committed state of each asked partition (read_committed, up to the end). */
  async load(partitions: number[]): Promise<PartitionState[]> {
    if (partitions.length === 0) return [];
    const latest = new Map<number, PartitionState>();
    await readToEnd(this.kafka, this.topic, (partition, message) => {
      if (message.value) latest.set(partition, JSON.parse(message.value.toString()) as PartitionState);
    }, { partitions });
    return [...latest.values()];
  }
}
