/**
 * How fast the workload's producer is, against one 1-broker lab (every byte through Toxiproxy):
 *   (a) the built-in producer (runWorkload) with 1 KB records, as fast as it can go
 *       (a target rate far above what it can do, large batches), with 1 and several producers;
 *   (b) the same with history recording on, to show what recording costs;
 *   (c) Kafka's own kafka-producer-perf-test from the brokers' jars: the practical ceiling;
 *   (d) k6 + xk6-kafka, when harness/workload/k6 offers runK6Load.
 * `npm run bench:produce [-- records [rounds]]`; each figure is the best of `rounds` runs,
 * each run on a fresh topic. Records are built before timing (like the Java tool's fixed
 * payload), so the generator's cost is not in the figures.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedRecord } from '../generators/record.ts';
import { startLocalCluster } from '../harness/cluster/local-provider.ts';
import { HistoryWriter } from '../harness/history/history-writer.ts';
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { Random } from '../harness/random.ts';
import { tempRunDir } from '../harness/testing/lab.ts';
import { ensureKafkaJars } from '../harness/tools/kafka-jars.ts';
import { runWorkload } from '../harness/workload/run-workload.ts';
import type { WorkloadOptions } from '../harness/workload/workload-options.ts';
import { runJavaProducerPerf } from './produce-perf-java.ts';

const RECORDS = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const RECORD_SIZE = 1024;
const PARTITIONS = 6;
const PRODUCER_COUNTS = [1, 4];

/** 1 KB incompressible values from a seeded pool (values repeat; compression is off anyway). */
function buildRecords(count: number): GeneratedRecord[] {
  const random = new Random(1024);
  const pool = Array.from({ length: 256 }, () => {
    const value = Buffer.alloc(RECORD_SIZE);
    for (let i = 0; i < RECORD_SIZE; i += 4) value.writeUInt32LE(Math.floor(random.next() * 2 ** 32), i);
    return value;
  });
  return Array.from({ length: count }, (_, index) => ({
    index,
    key: `key-${index % 1000}`,
    value: pool[index % pool.length]!,
    eventId: `bench-${index}`,
    eventTimeMs: 0,
    truth: { kind: 'valid', schemaVersion: 1 },
  }));
}

const dir = tempRunDir('produce-bench');
const cluster = await startLocalCluster({ brokers: 1, runDir: join(dir, 'lab'), onProgress: (line) => process.stderr.write(`${line}\n`) });
const kafka = createKafka(cluster.clientSettings('produce-bench'));
const admin = kafka.admin();
let topics = 0;
async function freshTopic(): Promise<string> {
  const topic = `bench-${++topics}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  return topic;
}

/** Records acknowledged per second, over the arrival phase plus the drain. */
async function builtIn(records: GeneratedRecord[], producers: number, withHistory: boolean): Promise<number> {
  const topic = await freshTopic();
  const history = withHistory ? await HistoryWriter.open(join(dir, `${topic}.duckdb`)) : undefined;
  const options: WorkloadOptions = {
    cluster,
    topic,
    events: records,
    count: records.length,
    rate: { kind: 'constant', rate: 10_000_000 },
    producers,
    maxInFlight: 20_000,
    maxBatchMessages: 1000,
    maxBatchBytes: 768 * 1024,
    drainTimeoutMs: 120_000,
    history,
  };
  try {
    const summary = await runWorkload(options);
    if (summary.ok !== records.length) throw new Error(`only ${summary.ok} of ${records.length} sends acknowledged: ${JSON.stringify(summary)}`);
    return summary.ok / ((summary.durationMs + summary.drainMs) / 1000);
  } finally {
    await history?.close();
  }
}

/**
 * (d) k6 + xk6-kafka through runK6Load (harness/workload/k6), when it is there. Its script
 * sends generated orders events (~300 B, not 1 KB) at a constant arrival rate for a duration,
 * so it gets a target far above what it can do and reports the acknowledged rate.
 */
async function k6Line(ceiling: number): Promise<string> {
  const file = join(import.meta.dirname, '../harness/workload/k6/run-k6-load.ts');
  if (!existsSync(file)) return '(d) k6: not available yet';
  const module = (await import(file)) as { runK6Load?: (options: Record<string, unknown>) => Promise<{ ratePerSec?: number; droppedIterations?: number }> };
  if (typeof module.runK6Load !== 'function') return '(d) k6: not available yet';
  try {
    const topic = await freshTopic();
    const result = await module.runK6Load({
      bootstrap: cluster.bootstrapServers(),
      topic,
      rate: 200_000,
      durationS: 10,
      seed: 1,
      summaryPath: join(dir, 'k6-summary.json'),
      env: { DROP_TOLERANCE: '1' },
      onLine: (line: string) => process.stderr.write(`[k6] ${line}\n`),
    });
    return `${row('(d) k6 + xk6-kafka (orders ~300 B)', result.ratePerSec ?? 0, ceiling)} (dropped iterations ${result.droppedIterations ?? '?'})`;
  } catch (error) {
    return `(d) k6: failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function row(label: string, rate: number, ceiling: number): string {
  return `${label.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(9)} rec/s   ${(rate / ceiling).toFixed(2)} of ceiling`;
}

try {
  await admin.connect();
  const jars = await ensureKafkaJars(cluster.kafkaVersion);
  const records = buildRecords(RECORDS);
  const best = new Map<string, number>();
  const keep = (name: string, rate: number) => {
    best.set(name, Math.max(best.get(name) ?? 0, rate));
    process.stderr.write(`[bench] ${name}: ${Math.round(rate)} rec/s\n`);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const java = await runJavaProducerPerf({ jars, bootstrap: cluster.bootstrapServers().join(','), topic: await freshTopic(), records: RECORDS, recordSize: RECORD_SIZE, logDir: dir });
    keep('java', java.recordsPerSec);
    for (const producers of PRODUCER_COUNTS) keep(`built-in ${producers}`, await builtIn(records, producers, false));
    const bestProducers = PRODUCER_COUNTS.reduce((a, b) => ((best.get(`built-in ${b}`) ?? 0) > (best.get(`built-in ${a}`) ?? 0) ? b : a));
    keep(`history ${bestProducers}`, await builtIn(records, bestProducers, true));
    keep(`built-in ${bestProducers} again`, await builtIn(records, bestProducers, false));
  }

  const ceiling = best.get('java')!;
  const fastest = PRODUCER_COUNTS.reduce((a, b) => ((best.get(`built-in ${b}`) ?? 0) > (best.get(`built-in ${a}`) ?? 0) ? b : a));
  const off = Math.max(best.get(`built-in ${fastest}`)!, best.get(`built-in ${fastest} again`) ?? 0);
  const on = best.get(`history ${fastest}`) ?? 0;
  console.log(`produce.bench: ${RECORDS.toLocaleString('en')} records x ${RECORD_SIZE} B, acks=all, 1 broker via Toxiproxy, ${PARTITIONS} partitions, best of ${ROUNDS}`);
  console.log(row('(c) kafka-producer-perf-test (ceiling)', ceiling, ceiling));
  for (const producers of PRODUCER_COUNTS) console.log(row(`(a) built-in, ${producers} producer(s), no history`, best.get(`built-in ${producers}`)!, ceiling));
  console.log(row(`(b) built-in, ${fastest} producer(s), history on`, on, ceiling));
  console.log(`(b) history on / off = ${(on / off).toFixed(2)} (recording costs ${((1 - on / off) * 100).toFixed(0)}% of throughput)`);
  console.log(await k6Line(ceiling));
} finally {
  await admin.disconnect().catch(() => undefined);
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
