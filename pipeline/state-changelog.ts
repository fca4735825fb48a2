import type { Kafka } from 'kafkajs';
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
      await admin
        .createTopics({
          topics: [{ topic: this.topic, numPartitions: partitions, replicationFactor, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
          waitForLeaders: true,
        })
        .catch((error: Error) => {
          if (!/already exists/i.test(error.message)) throw error;
        });
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
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(this.topic);
    await admin.disconnect();
    const wanted = new Set(partitions);
    const targets = ends.filter((e) => wanted.has(e.partition) && Number(e.high) > Number(e.low));
    const latest = new Map<number, PartitionState>();
    if (targets.length === 0) return [];
    // A throwaway consumer without a group: manual reads of exactly the partitions we own.
    const consumer = this.kafka.consumer({ groupId: `${this.topic}-restore-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    const remaining = new Map(targets.map((t) => [t.partition, Number(t.high)]));
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      let lastProgress = Date.now();
      const done = () => {
        clearInterval(idle);
        clearTimeout(timer);
        resolve();
      };
      // A commit marker can sit at the end of a partition, so "last offset + 1 == high" may
      // never be seen; quiet for 1.5 s after reading is the fallback end.
      const idle = setInterval(() => Date.now() - lastProgress > 1500 && done(), 250);
      const timer = setTimeout(() => {
        clearInterval(idle);
        reject(new Error(`changelog ${this.topic} not read within 60s`));
      }, 60_000);
      void consumer
        .run({
          eachBatch: async ({ batch }) => {
            lastProgress = Date.now();
            const p = batch.partition;
            for (const message of batch.messages) {
              if (wanted.has(p) && message.value) latest.set(p, JSON.parse(message.value.toString()) as PartitionState);
              if (remaining.has(p) && Number(message.offset) + 1 >= remaining.get(p)!) remaining.delete(p);
            }
            if (remaining.size === 0) done();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return [...latest.values()];
  }
}
