/**
 * `npm run bench:pipeline`: end-to-end events/s of the reference pipeline in exactly-once and
 * at-least-once modes, on the same 3-broker lab in one run. Each mode gets the same backlog
 * of orders (fresh topics), then 2 instances start and the clock runs until every input
 * offset is committed (lag 0).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCluster } from '../harness/cluster/local-provider.ts';
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { referenceSut } from '../pipeline/reference-sut.ts';
import { ordersWorkload, produceAll, startSut, waitForDrain } from '../pipeline/testing/pipeline-run.ts';
import type { DeliveryMode } from '../pipeline/pipeline-config.ts';

const COUNT = Number(process.env.BENCH_EVENTS ?? 30_000);
const cluster = await startLocalCluster({ brokers: 3, runDir: mkdtempSync(join(tmpdir(), 'bench-pipeline-')) });
const kafka = createKafka(cluster.clientSettings('bench'));
const results: Record<string, number> = {};
try {
  const workload = ordersWorkload(7, COUNT, 4);
  const records = [...workload.warmup, ...workload.main];
  for (const mode of ['exactly-once', 'at-least-once'] as DeliveryMode[]) {
    const prefix = `${mode === 'exactly-once' ? 'eos' : 'alos'}.`;
    const sut = referenceSut({ instances: 2, mode, prefix, partitions: 4 });
    const runId = prefix.replace(/\W/g, '');
    // Topics first (no SUT yet), then the whole backlog, then the SUT against the clock.
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: sut.topics.input[0]!.name, numPartitions: 4, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    await produceAll(kafka, sut.topics.input[0]!.name, records);
    const t0 = performance.now();
    const group = await startSut(cluster, sut, runId);
    const drained = await waitForDrain(kafka, `${sut.name}-${runId}`, sut.topics.input[0]!.name, 600_000, 0);
    const seconds = (performance.now() - t0) / 1000;
    await group.stopAll();
    if (!drained) throw new Error(`${mode}: not drained within 600 s`);
    results[mode] = records.length / seconds;
    console.log(`${mode}: ${records.length} events in ${seconds.toFixed(1)} s (start included) = ${results[mode]!.toFixed(0)} events/s`);
  }
  console.log(`\nreference pipeline, 2 instances, 4 partitions, 3 brokers (RF 3):`);
  console.log(`  exactly-once:  ${results['exactly-once']!.toFixed(0)} events/s`);
  console.log(`  at-least-once: ${results['at-least-once']!.toFixed(0)} events/s`);
  console.log(`  exactly-once / at-least-once = ${(results['exactly-once']! / results['at-least-once']!).toFixed(2)}`);
} finally {
  await cluster.stop();
}
