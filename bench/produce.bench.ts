/**
 * How fast the workload's producer is, against one 1-broker lab (every byte through Toxiproxy):
 *   (a) the built-in producer (runWorkload) with 1 KB records, as fast as it can go
 *       (a target rate far above what it can do, large batches), with 1 and several producers;
 *   (b) the same with history recording on, to show what recording costs; (b') with the
 *       history's background checkpoints held until close, to show their share (the
 *       bench's random values make DuckDB's checkpoint compression analysis costly);
 *   (c) Kafka's own kafka-producer-perf-test from the brokers' jars: the practical ceiling;
 *   (d) the user's k6 with xk6-kafka (STREAMPROOF_K6 or PATH: docs/k6.md), through runK6Load;
 *       a line saying why when there is none.
 * `npm run bench:produce [-- records [rounds]]`; every variant runs once per round (the order
 * rotates each round, so history on and off are interleaved), each run on a fresh topic;
 * rates and CPU per record are medians over the rounds, and the history's cost is the
 * median of the per-round ratios on/off. Records are built before timing (like the Java
 * tool's fixed payload), so the generator's cost is not in the figures.
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { GeneratedRecord } from '../generators/record.ts';
import { findK6 } from '../harness/tools/k6-binary.ts';
import { runK6Load } from '../harness/workload/k6/run-k6-load.ts';
import { startLocalCluster } from '../harness/cluster/local-provider.ts';
import { HistoryWriter } from '../harness/history/history-writer.ts';
import type { HistoryWriterOptions } from '../harness/history/writer-options.ts';
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { Random } from '../harness/random.ts';
import { tempRunDir } from '../harness/testing/lab.ts';
import { ensureKafkaJars } from '../harness/tools/kafka-jars.ts';
import { runWorkload } from '../harness/workload/run-workload.ts';
import type { WorkloadOptions } from '../harness/workload/workload-options.ts';
import { runJavaProducerPerf } from './produce-perf-java.ts';
import { createTopicsWithLeaders } from '../harness/kafka/create-topics.ts';

const RECORDS = Number(process.argv[2] ?? 150_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const RECORD_SIZE = 1024;
const PARTITIONS = 6;
const PRODUCER_COUNTS = [1, 4];
/** Java producer settings closer to ours (bigger batches), to show how much head room the default command leaves. */
const TUNED_JAVA = { 'batch.size': '262144', 'linger.ms': '20' };

/**
 * 1 KB incompressible values, each one different (a seeded pool, the record's index stamped
 * in its first 8 bytes): real events differ, and repeated values would let the history's
 * storage compress them away, which it cannot do with a real run.
 */
function buildRecords(count: number): GeneratedRecord[] {
  const random = new Random(1024);
  const pool = Array.from({ length: 256 }, () => {
    const value = Buffer.alloc(RECORD_SIZE);
    for (let i = 0; i < RECORD_SIZE; i += 4) value.writeUInt32LE(Math.floor(random.next() * 2 ** 32), i);
    return value;
  });
  return Array.from({ length: count }, (_, index) => {
    const value = Buffer.from(pool[index % pool.length]!);
    value.writeDoubleLE(index, 0);
    return { index, key: `key-${index % 1000}`, value, eventId: `bench-${index}`, eventTimeMs: 0, truth: { kind: 'valid', schemaVersion: 1 } };
  });
}

const dir = tempRunDir('produce-bench');
const cluster = await startLocalCluster({ brokers: 1, runDir: join(dir, 'lab'), onProgress: (line) => process.stderr.write(`${line}\n`) });
const kafka = createKafka(cluster.clientSettings('produce-bench'));
const admin = kafka.admin();
let topics = 0;
async function freshTopic(): Promise<string> {
  const topic = `bench-${++topics}`;
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }]);
  return topic;
}

interface Sample {
  /** Records acknowledged per second, over the arrival phase plus the drain. */
  rate: number;
  /** Process CPU (all threads) per record: steadier than the rate on a shared machine. */
  cpuUs: number;
  /** With history: how long `close()` took after the run (it moves the send values into the file). */
  closeMs?: number;
}

async function builtIn(records: GeneratedRecord[], producers: number, historyOptions?: HistoryWriterOptions): Promise<Sample> {
  const topic = await freshTopic();
  const history = historyOptions ? await HistoryWriter.open(join(dir, `${topic}.duckdb`), historyOptions) : undefined;
  const options: WorkloadOptions = {
    cluster,
    topic,
    events: records,
    count: records.length,
    rate: { kind: 'constant', rate: 10_000_000 },
    producers,
    maxInFlight: 20_000,
    maxBatchMessages: 500,
    maxBatchBytes: 768 * 1024,
    drainTimeoutMs: 120_000,
    history,
  };
  let sample: Sample | undefined;
  try {
    const cpu = process.cpuUsage();
    const summary = await runWorkload(options);
    const used = process.cpuUsage(cpu);
    if (summary.ok !== records.length) throw new Error(`only ${summary.ok} of ${records.length} sends acknowledged: ${JSON.stringify(summary)}`);
    sample = { rate: summary.ok / ((summary.durationMs + summary.drainMs) / 1000), cpuUs: (used.user + used.system) / records.length };
  } finally {
    const closing = performance.now();
    await history?.close();
    if (sample && history) sample.closeMs = performance.now() - closing;
  }
  return sample;
}

/**
 * (d) the user's k6 with xk6-kafka (docs/k6.md) through runK6Load. Its script
 * sends generated orders events (~300 B, not 1 KB) at a constant arrival rate for a duration,
 * so it gets the ceiling's rate as its target and reports the acknowledged rate.
 */
async function k6Line(ceiling: number): Promise<string> {
  const k6 = await findK6();
  if (!k6.found) return `(d) k6: skipped: ${k6.reason}`;
  try {
    const topic = await freshTopic();
    const result = await runK6Load({
      k6Binary: k6.path,
      bootstrap: cluster.bootstrapServers(),
      topic,
      rate: Math.max(1000, Math.round(ceiling)),
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
  const java = async (producerProps?: Record<string, string>): Promise<Sample> => {
    const result = await runJavaProducerPerf({ jars, bootstrap: cluster.bootstrapServers().join(','), topic: await freshTopic(), records: RECORDS, recordSize: RECORD_SIZE, logDir: dir, producerProps });
    return { rate: result.recordsPerSec, cpuUs: NaN };
  };
  const samples = new Map<string, Sample[]>();
  const variants: [string, () => Promise<Sample>][] = [
    ['java', () => java()],
    ['java tuned', () => java(TUNED_JAVA)],
    ...PRODUCER_COUNTS.map((n): [string, () => Promise<Sample>] => [`built-in ${n}`, () => builtIn(records, n)]),
    ['history 1', () => builtIn(records, 1, {})],
    ['history 1 no checkpoint', () => builtIn(records, 1, { checkpointWalBytes: Number.MAX_SAFE_INTEGER })],
  ];
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so a slow spell of the shared machine does not always hit the same variant.
    for (let i = 0; i < variants.length; i++) {
      const [name, run] = variants[(i + round) % variants.length]!;
      const sample = await run();
      samples.set(name, [...(samples.get(name) ?? []), sample]);
      process.stderr.write(`[bench] round ${round + 1} ${name}: ${Math.round(sample.rate)} rec/s, ${sample.cpuUs.toFixed(1)} µs CPU/record\n`);
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const rateOf = (name: string) => median(samples.get(name)!.map((s) => s.rate));
  const medianCpu = (name: string) => median(samples.get(name)!.map((s) => s.cpuUs));
  /** Median over rounds of (variant's rate / history-off rate in the same round). */
  const pairedRatio = (name: string) => median(samples.get(name)!.map((s, round) => s.rate / samples.get('built-in 1')![round]!.rate));

  const ceiling = rateOf('java');
  const off = rateOf('built-in 1');
  const on = rateOf('history 1');
  console.log(`produce.bench: ${RECORDS.toLocaleString('en')} records x ${RECORD_SIZE} B, acks=all, 1 broker via Toxiproxy, ${PARTITIONS} partitions, medians of ${ROUNDS} interleaved rounds`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared: figures move by 2x between rounds)`);
  console.log(row('(c) kafka-producer-perf-test (ceiling)', ceiling, ceiling));
  console.log(row(`(c') the same, ${Object.entries(TUNED_JAVA).map(([k, v]) => `${k}=${v}`).join(' ')}`, rateOf('java tuned'), ceiling));
  for (const n of PRODUCER_COUNTS) console.log(`${row(`(a) built-in, ${n} producer(s), no history`, rateOf(`built-in ${n}`), ceiling)}   ${medianCpu(`built-in ${n}`).toFixed(1)} µs CPU/record`);
  const closeMs = median(samples.get('history 1')!.map((s) => s.closeMs ?? NaN));
  console.log(`${row('(b) built-in, 1 producer, history on', on, ceiling)}   ${medianCpu('history 1').toFixed(1)} µs CPU/record   (then close: ${(closeMs / 1000).toFixed(1)} s)`);
  const held = rateOf('history 1 no checkpoint');
  console.log(`${row("(b') the same, checkpoints held until close", held, ceiling)}   ${medianCpu('history 1 no checkpoint').toFixed(1)} µs CPU/record   (costs ${((1 - pairedRatio('history 1 no checkpoint')) * 100).toFixed(0)}%)`);
  const perRound = samples.get('history 1')!.map((s, round) => (s.rate / samples.get('built-in 1')![round]!.rate).toFixed(2)).join(' ');
  console.log(
    `(b) history on / off: throughput ${pairedRatio('history 1').toFixed(2)} (costs ${((1 - pairedRatio('history 1')) * 100).toFixed(0)}%; per round ${perRound}), ` +
      `CPU per record ${(medianCpu('history 1') / medianCpu('built-in 1')).toFixed(2)}x (+${(medianCpu('history 1') - medianCpu('built-in 1')).toFixed(1)} µs)`,
  );
  console.log(await k6Line(ceiling));
} finally {
  await admin.disconnect().catch(() => undefined);
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
