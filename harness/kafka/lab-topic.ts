import type { ITopicConfig } from 'kafkajs';

/**
 * Topics the harness creates for a run (a SUT's input, output, DLQ, late and bronze topics;
 * `streamproof generate`'s topic) keep every record for the life of the lab: a SUT that stamps
 * outputs with old event times (Kafka Streams, Flink and Spark all may) must not have them
 * deleted by time-based retention mid-run, and neither may an input replayed long after.
 */
export const NO_RETENTION: ReadonlyArray<{ name: string; value: string }> = [
  { name: 'retention.ms', value: '-1' },
  { name: 'retention.bytes', value: '-1' },
];

/** A createTopics entry for a harness-created topic: retention off. */
export function labTopic(topic: string, numPartitions: number, replicationFactor: number): ITopicConfig {
  return { topic, numPartitions, replicationFactor, configEntries: NO_RETENTION.map((e) => ({ ...e })) };
}
