import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { startTestCluster } from '../testing/lab.ts';
import { DEFAULT_KAFKA_VERSION } from '../tools/kafka-jars.ts';
import { createKafka } from './kafka-client.ts';

// Evidence that kafkajs 2.2.4 works end to end with the broker version under test
// (STREAMPROOF_KAFKA_VERSION, default the project default): produce, consumer groups with a
// rebalance, and consume-transform-produce transactions with read_committed isolation.
const version = process.env.STREAMPROOF_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
let cluster: LocalCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startTestCluster('compat', { brokers: 1, kafkaVersion: version });
  kafka = createKafka(cluster.clientSettings('compat'));
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['in', 'out', 'groups'].map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  await admin.disconnect();
});

afterAll(async () => {
  await cluster?.stop();
});

async function readAll(topic: string, groupId: string, expected: number, readUncommitted = false): Promise<string[]> {
  const values: string[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 15_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString());
        if (values.length >= expected) {
          clearTimeout(timer);
          setTimeout(resolve, 500); // a little longer, to see anything unexpected
        }
      },
    });
  });
  await consumer.disconnect();
  return values;
}

describe(`kafkajs against Kafka ${version}`, () => {
  it('rebalances a consumer group between two members and back', async () => {
    const a = kafka.consumer({ groupId: 'compat-group', maxWaitTimeInMs: 100, heartbeatInterval: 300 });
    const b = kafka.consumer({ groupId: 'compat-group', maxWaitTimeInMs: 100, heartbeatInterval: 300 });
    const assigned = { a: 0, b: 0 };
    for (const [name, consumer] of [['a', a], ['b', b]] as const) {
      consumer.on(consumer.events.GROUP_JOIN, (e) => (assigned[name] = Object.values(e.payload.memberAssignment).flat().length));
      await consumer.connect();
      await consumer.subscribe({ topics: ['groups'] });
      await consumer.run({ eachMessage: async () => undefined });
    }
    await expect.poll(() => assigned.a + assigned.b === 4 && assigned.a > 0 && assigned.b > 0, { timeout: 30_000, interval: 200 }).toBe(true);
    await b.disconnect();
    await expect.poll(() => assigned.a, { timeout: 30_000, interval: 200 }).toBe(4);
    await a.disconnect();
  });

  it('commits consume-transform-produce transactions atomically and hides aborted ones from read_committed', async () => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'in', acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `in-${i}` })) });
    await producer.disconnect();

    const tx = kafka.producer({ transactionalId: 'compat-tx', idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    const committed = await tx.transaction();
    await committed.send({ topic: 'out', messages: [{ key: 'c', value: 'committed-1' }, { key: 'c', value: 'committed-2' }] });
    await committed.sendOffsets({ consumerGroupId: 'compat-ctp', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '3' }] }] });
    await committed.commit();
    const aborted = await tx.transaction();
    await aborted.send({ topic: 'out', messages: [{ key: 'a', value: 'aborted-1' }] });
    await aborted.abort();
    await tx.disconnect();

    expect((await readAll('out', 'compat-rc', 2)).sort()).toEqual(['committed-1', 'committed-2']);
    expect((await readAll('out', 'compat-ru', 3, true)).sort()).toEqual(['aborted-1', 'committed-1', 'committed-2']);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: 'compat-ctp', topics: ['in'] });
    await admin.disconnect();
    expect(offsets[0]!.partitions.find((p) => p.partition === 0)!.offset).toBe('3');
  });
});
