import type { Kafka, Transaction } from 'kafkajs';
import { HarnessError } from '../errors.ts';

export interface ReadinessOptions {
  expectedBrokers: number;
  timeoutMs?: number;
  /** Called with a short note as each step passes (progress output). */
  onStep?: (step: string) => void;
}

export const READINESS_TOPIC = '__streamproof_ready';

/**
 * "Ready" means usable, not merely listening: every broker in metadata, a replicated topic
 * created, one record written with acks=all and read back through a consumer group (so
 * `__consumer_offsets` works), and one transaction committed (so the transaction log works).
 * Once the brokers are there, three independent chains run side by side, so that the three
 * topics (ours, `__consumer_offsets`, the transaction log) are created at once: the readiness
 * topic then the produce; the group coordinator lookup (which creates `__consumer_offsets`)
 * then the consume; the transactional producer id (whose coordinator lookup creates the
 * transaction log) then the transaction.
 */
export async function waitUntilUsable(kafka: Kafka, options: ReadinessOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let failed = false;
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    let lastError: unknown;
    while (Date.now() < deadline && !failed) {
      try {
        const result = await work();
        options.onStep?.(name);
        return result;
      } catch (error) {
        lastError = error;
        // Tight: a step usually waits on something the brokers finish within milliseconds.
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    failed = true;
    throw new HarnessError('CLUSTER_START_FAILED', `cluster not usable: step '${name}' did not pass: ${(lastError as Error)?.message ?? 'timed out'}`);
  };

  const groupId = `${READINESS_TOPIC}-group`;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const txProducer = kafka.producer({ transactionalId: `${READINESS_TOPIC}-tx`, idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 500 });
  const marker = `ready-${Date.now()}`;
  let begun: Transaction | undefined;
  try {
    await step('brokers in metadata', async () => {
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      if (brokers.length < options.expectedBrokers) throw new Error(`${brokers.length}/${options.expectedBrokers} brokers registered`);
    });
    const rf = Math.min(3, options.expectedBrokers);
    const topic = step(`topic with RF=${rf}`, async () => {
      const topics = await admin.listTopics();
      if (!topics.includes(READINESS_TOPIC)) {
        // Leaders are polled below at our step's pace, not kafkajs' growing backoff.
        await admin.createTopics({ topics: [{ topic: READINESS_TOPIC, numPartitions: 1, replicationFactor: rf }], waitForLeaders: false });
      }
      const meta = await admin.fetchTopicMetadata({ topics: [READINESS_TOPIC] });
      const partition = meta.topics[0]?.partitions[0];
      if (!partition || partition.leader < 0 || partition.isr.length < rf) throw new Error('partition not fully replicated yet');
    });
    await Promise.all([
      // The idempotent producer's id comes from any broker: fetched while the topic is made.
      Promise.all([topic, step('producer id', () => producer.connect())]).then(() =>
        step('produce acks=all', () => producer.send({ topic: READINESS_TOPIC, acks: -1, messages: [{ key: 'ready', value: marker }] })),
      ),
      // Looking the coordinator up makes the controller create __consumer_offsets.
      step('group coordinator', () => admin.describeGroups([groupId]))
        .then(() => topic)
        .then(() => step('consume through a group', () => consumeMarker(consumer, marker))),
      // kafkajs looks the transaction coordinator up (creating the transaction log) when the
      // first transaction begins, not on connect.
      step('transaction coordinator', async () => {
        await txProducer.connect();
        begun = await txProducer.transaction();
      })
        .then(() => topic)
        .then(() =>
          step('transaction committed', async () => {
            const tx = begun ?? (await txProducer.transaction());
            begun = undefined; // a retry begins a fresh one
            try {
              await tx.send({ topic: READINESS_TOPIC, messages: [{ key: 'ready-tx', value: marker }] });
              await tx.commit();
            } catch (error) {
              await tx.abort().catch(() => undefined);
              throw error;
            }
          }),
        ),
    ]);
  } finally {
    failed = true;
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), txProducer.disconnect(), admin.disconnect()]);
  }
}

async function consumeMarker(consumer: ReturnType<Kafka['consumer']>, marker: string): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: [READINESS_TOPIC], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('record not consumed within 30s')), 30_000);
    void consumer
      .run({
        autoCommit: true,
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === marker) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.commitOffsets([]).catch(() => undefined);
}
