import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../harness/cluster/local-provider.ts';
import { createTopicsWithLeaders } from '../harness/kafka/create-topics.ts';
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { readToEnd } from '../harness/kafka/read-to-end.ts';
import { isolateEachBroker } from '../harness/testing/isolate-each-broker.ts';
import { sleep, startTestCluster } from '../harness/testing/lab.ts';
import { OutputWriter } from './output-writer.ts';

// At least once, the reference writes each batch's outputs with one multi-partition sendBatch.
// While leaders move (here: as an isolated broker comes back and takes its partitions again),
// kafkajs 2.2.4 can resolve such a send without having written one of its partitions.
let cluster: LocalCluster;
let kafka: Kafka;
let admin: Admin;
const PARTITIONS = [0, 1, 2];

beforeAll(async () => {
  cluster = await startTestCluster('output-writer', { brokers: 3 });
  kafka = createKafka(cluster.clientSettings('output-writer'));
  admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, ['written', 'raw'].map((topic) => ({ topic, numPartitions: 3, replicationFactor: 3 })));
});

afterAll(async () => {
  await admin?.disconnect();
  await cluster?.stop();
});

async function valuesOf(topic: string): Promise<Set<string>> {
  const values = new Set<string>();
  await readToEnd(kafka, topic, (_, message) => values.add(String(message.value)));
  return values;
}

describe('OutputWriter at least once, while leaders move', () => {
  it('writes every partition of every batch, where a plain kafkajs sendBatch may leave one out', async () => {
    const writer = new OutputWriter(kafka, 'at-least-once', 'output-writer-test', 'in', async () => undefined, { topic: 'state', intervalMs: 60_000 });
    const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await raw.connect();
    const sent: string[] = [];
    try {
      await isolateEachBroker(cluster, async (broker) => {
        // Batches every 100 ms for 15 s after the heal: the healed broker takes its leaderships
        // back meanwhile, so some batch is in flight as a leader moves.
        const until = Date.now() + 15_000;
        for (let k = 0; Date.now() < until; k++) {
          const values = PARTITIONS.map((p) => `b${broker}-k${k}-p${p}`);
          sent.push(...values);
          await writer.write(values.map((value, partition) => ({ topic: 'written', partition, message: { value } })), undefined, 0);
          await raw.sendBatch({ acks: -1, topicMessages: [{ topic: 'raw', messages: values.map((value, partition) => ({ value, partition })) }] }).catch(() => undefined);
          await sleep(100);
        }
      });
    } finally {
      await raw.disconnect();
      await writer.close();
    }
    const written = await valuesOf('written');
    const rawWritten = await valuesOf('raw');
    const missing = sent.filter((v) => !written.has(v));
    // Not asserted (it is kafkajs' race, not ours): how often the plain sendBatch beside it lost a partition.
    if (process.env.STREAMPROOF_TEST_VERBOSE) process.stderr.write(`${sent.length} records per producer; the plain sendBatch lost ${sent.filter((v) => !rawWritten.has(v)).length}\n`);
    expect(missing.slice(0, 10), `${missing.length} of ${sent.length} records never written`).toEqual([]);
  });
});
