import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { generateEvents } from '../../generators/generate-events.ts';
import type { GeneratorOptions } from '../../generators/options.ts';
import type { GeneratedRecord } from '../../generators/record.ts';
import type { StartedCluster } from '../../harness/cluster/started-cluster.ts';
import { createKafka } from '../../harness/kafka/kafka-client.ts';
import { runSinkDir, type SutConfig } from '../../harness/sut/sut-config.ts';
import { SutGroup } from '../../harness/sut/sut-group.ts';

/** Starts a SUT on a lab cluster for a test, with its own run id, group and folder. */
export async function startSut(cluster: StartedCluster, config: SutConfig, runId: string): Promise<SutGroup> {
  const runDir = mkdtempSync(join(tmpdir(), `streamproof-sut-${runId}-`));
  const group = new SutGroup({
    config,
    run: { runId, bootstrapServers: cluster.bootstrapServers(), topics: config.topics, groupId: `${config.name}-${runId}`, sinkDir: runSinkDir(config, join(runDir, 'sink')) },
    clientSettings: cluster.clientSettings('sut-test'),
    runDir,
    replicationFactor: Math.min(3, cluster.brokers().length),
  });
  await group.start();
  return group;
}

/**
 * The orders workload of the pipeline tests, in two parts. A warm-up of clean events lets
 * every instance see every partition it owns, so its watermark exists; until then nothing is
 * late to the pipeline, whatever the generator calls late. Then the main part: disorder
 * (5 s, below the 30 s allowed), duplicates, late records (10-20 min behind: late
 * whatever the skew between partitions a fetch produces) and poison. Event time runs on from the warm-up.
 */
export function ordersWorkload(seed: number, count: number, partitions: number, warmup = 2_000): { warmup: GeneratedRecord[]; main: GeneratedRecord[] } {
  const startTimeMs = Date.UTC(2026, 0, 1);
  const first = [...generateEvents({ domain: 'orders', seed: seed + 1_000_000, count: warmup, eventsPerSecond: 100, startTimeMs, partitions })];
  const options: GeneratorOptions = {
    domain: 'orders',
    seed,
    count,
    startTimeMs: startTimeMs + (warmup * 1000) / 100,
    eventsPerSecond: 100,
    maxDisorderMs: 5_000,
    lateFraction: 0.01,
    latenessBoundMs: 600_000,
    duplicateFraction: 0.01,
    poisonFraction: 0.01,
    oversizedBytes: 300_000,
    partitions,
  };
  return { warmup: first, main: [...generateEvents(options)] };
}

/** Sends records in order with acks=all; `onProgress(sent)` runs between batches (fault hooks). */
export async function produceAll(kafka: Kafka, topic: string, records: GeneratedRecord[], onProgress?: (sent: number) => Promise<void>): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < records.length; i += 500) {
    const batch = records.slice(i, i + 500);
    await producer.send({
      topic,
      acks: -1,
      messages: batch.map((r) => ({ key: r.key, value: r.value, headers: { 'sp-event-id': r.eventId, 'sp-send-ts': String(Date.now() * 1000) } })),
    });
    await onProgress?.(i + batch.length);
  }
  await producer.disconnect();
}

/** Waits until the group has committed every input offset (lag 0), then `settleMs` more. */
export async function waitForDrain(kafka: Kafka, groupId: string, topic: string, timeoutMs = 300_000, settleMs = 3_000): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const ends = await admin.fetchTopicOffsets(topic);
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const parts = committed[0]?.partitions ?? [];
      const lag = ends.reduce((sum, e) => sum + Math.max(0, Number(e.high) - Number(parts.find((p) => p.partition === e.partition)?.offset ?? 0)), 0);
      if (lag === 0) {
        await new Promise((r) => setTimeout(r, settleMs));
        return true;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return false;
  } finally {
    await admin.disconnect();
  }
}

export { createKafka };
