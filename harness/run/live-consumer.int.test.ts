import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { startTestCluster, tempRunDir } from '../testing/lab.ts';
import { catchUpLive, LiveConsumer } from './live-consumer.ts';

// The live consumer knows when it has read every committed output, commit and abort markers
// included (they take offsets but are never delivered), and says which partitions it has not.
let cluster: LocalCluster;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  cluster = await startTestCluster('live-consumer', { brokers: 1 });
  kafka = createKafka(cluster.clientSettings('live-consumer'));
  admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [{ topic: 'out', numPartitions: 2, replicationFactor: 1 }]);
});

afterAll(async () => {
  await admin?.disconnect();
  await cluster?.stop();
});

/** Markers land after commit() returns: wait until the last stable offsets count them (records + one marker per transaction). */
async function stableAt(ends: number[]): Promise<void> {
  await expect.poll(async () => (await admin.fetchTopicOffsets('out')).sort((a, b) => a.partition - b.partition).map((p) => Number(p.high)), { timeout: 10_000, interval: 50 }).toEqual(ends);
}

async function transaction(producer: ReturnType<Kafka['producer']>, values: string[], outcome: 'commit' | 'abort'): Promise<void> {
  const tx = await producer.transaction();
  await tx.send({ topic: 'out', messages: values.map((value, i) => ({ partition: i % 2, value })) });
  await (outcome === 'commit' ? tx.commit() : tx.abort());
}

describe('LiveConsumer', () => {
  it('catches up past transaction markers, then names the partitions written after it stopped', async () => {
    const runDir = tempRunDir('live-consumer');
    const history = await HistoryWriter.open(join(runDir, 'history.duckdb'));
    const producer = kafka.producer({ transactionalId: 'live-tx', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const live = (await LiveConsumer.start(kafka, [{ name: 'out', role: 'records' }], 'live-test', history))!;
    await transaction(producer, ['c1', 'c2', 'c3', 'c4'], 'commit');
    await transaction(producer, ['a1', 'a2'], 'abort');
    await transaction(producer, ['c5', 'c6'], 'commit');
    await stableAt([7, 7]);

    // Each partition ends with a marker: a position counted in delivered records would stay behind.
    expect(await live.catchUp(20_000)).toEqual([]);
    await live.disconnect();

    await transaction(producer, ['late'], 'commit');
    await producer.disconnect();
    await stableAt([9, 7]);
    expect(await live.catchUp(500)).toEqual(['out/0']);
    expect(await catchUpLive([live, undefined], 500)).toMatch(/had not read every committed output 0\.5s after the drain \(out\/0\)$/);

    await history.close();
    const reader = await HistoryReader.open(join(runDir, 'history.duckdb'));
    const rows = await reader.query<{ value: string }>(`SELECT decode(value) AS value FROM observed WHERE role = 'records-live' ORDER BY value`);
    await reader.close();
    expect(rows.map((r) => r.value)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
  });
});
