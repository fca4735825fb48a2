/**
 * `npm run bench:pipeline`: end-to-end events/s of the reference pipeline and of the Kafka Streams
 * example (examples/kafka-streams), each exactly-once and at-least-once, side by side on the same
 * 3-broker lab in one run. Each gets the same backlog of orders on fresh topics (4 partitions),
 * written before it starts; then 2 instances start and the clock runs until every input offset
 * is committed (lag 0). Two figures each: start-up included (from the start command) and
 * excluded (from the moment every instance was ready: the group joined, or the SUT's ready line).
 *
 * `npm run bench:pipeline -- --backlogs`: instead, the reference pipeline (exactly-once) on the
 * same events written as a backlog two ways (bench/backlog-batching.ts): in 500-record requests,
 * and by `generate --topic` at its default rate; each side by side in one run with its log's
 * bytes per event and what a plain consumer with the pipeline's fetch settings makes of it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCluster } from '../harness/cluster/local-provider.ts';
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { prefixSut } from '../harness/run/run-topics.ts';
import type { SutConfig } from '../harness/sut/sut-config.ts';
import { loadSutFile } from '../harness/sut/sut-file.ts';
import { referenceSut } from '../pipeline/reference-sut.ts';
import { ordersWorkload, startSut, waitForDrain } from '../pipeline/testing/pipeline-run.ts';
import { BACKLOG_LINGER_MS, logBytes, readThrough, writeBacklog } from './backlog-batching.ts';
import type { BacklogWriter } from './backlog-batching.ts';
import { createTopicsWithLeaders } from '../harness/kafka/create-topics.ts';

const COUNT = Number(process.env.BENCH_EVENTS ?? 30_000);
const PARTITIONS = 4;
const examples = join(import.meta.dirname, '..', 'examples', 'kafka-streams');
/** The pipelines side by side: 2 instances each, 4 input partitions. */
const BACKLOGS = process.argv.includes('--backlogs');
/** `--backlogs --no-oversized`: without the workload's 300 KB poison records (sent alone by generate, in a batch by the other writer). */
const NO_OVERSIZED = process.argv.includes('--no-oversized');
const OVERSIZED_BYTES = 256 * 1024;
const refEos = async () => referenceSut({ instances: 2, mode: 'exactly-once', partitions: PARTITIONS });
type Variant = { label: string; prefix: string; sut: () => Promise<SutConfig>; backlog?: BacklogWriter };
const pipelines: Variant[] = [
  { label: 'reference, exactly-once', prefix: 'ref-eos.', sut: async () => referenceSut({ instances: 2, mode: 'exactly-once', partitions: PARTITIONS }) },
  { label: 'reference, at-least-once', prefix: 'ref-alo.', sut: async () => referenceSut({ instances: 2, mode: 'at-least-once', partitions: PARTITIONS }) },
  { label: 'Kafka Streams, exactly_once_v2', prefix: 'ks-eos.', sut: () => loadSutFile(join(examples, 'sut-eos.ts')) },
  { label: 'Kafka Streams, at_least_once', prefix: 'ks-alo.', sut: () => loadSutFile(join(examples, 'sut-alo.ts')) },
];
/** Twice each, in turn (a b c c b a), so a slow spell of the shared machine does not favour one. */
const BACKLOG_LABELS = {
  batches: 'in 500-record requests',
  generate: 'by generate (1000/s)',
  'generate-linger': `by generate --linger-ms ${BACKLOG_LINGER_MS}`,
};
const backlogOrder = NO_OVERSIZED ? (['batches', 'generate', 'generate', 'batches'] as const) : (['batches', 'generate', 'generate-linger', 'generate-linger', 'generate', 'batches'] as const);
const backlogs: Variant[] = backlogOrder.map((backlog, i) => ({
  label: `reference EOS, backlog ${BACKLOG_LABELS[backlog]}`,
  prefix: `bl${i}-${backlog}.`,
  sut: refEos,
  backlog,
}));
const variants = BACKLOGS ? backlogs : pipelines;

const cluster = await startLocalCluster({ brokers: 3, runDir: mkdtempSync(join(tmpdir(), 'bench-pipeline-')) });
const kafka = createKafka(cluster.clientSettings('bench'));
const rows: { label: string; withStart: number; afterStart: number; startS: number; backlog?: string }[] = [];
try {
  const workload = ordersWorkload(7, COUNT, PARTITIONS);
  const all = [...workload.warmup, ...workload.main];
  const records = NO_OVERSIZED ? all.filter((r) => r.value.length < OVERSIZED_BYTES) : all;
  if (NO_OVERSIZED) console.log(`without the ${all.length - records.length} records of ${OVERSIZED_BYTES / 1024} KiB or more`);
  for (const v of variants) {
    const sut = prefixSut(await v.sut(), v.prefix, { instances: 2, partitions: PARTITIONS });
    const runId = v.prefix.replace(/\W/g, '');
    const input = sut.topics.input[0]!.name;
    // Topics first (no SUT yet), then the whole backlog, then the SUT against the clock.
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic: input, numPartitions: PARTITIONS, replicationFactor: 3 }]);
    await admin.disconnect();
    const written = await writeBacklog(v.backlog ?? 'batches', kafka, cluster, input, records, PARTITIONS);
    let backlog: string | undefined;
    if (BACKLOGS) {
      const bytes = logBytes(cluster, input);
      const read = await readThrough(kafka, input, records.length);
      backlog = `${(records.length / written.batches).toFixed(1)} records per produce batch, ${bytes === undefined ? '?' : (bytes / records.length).toFixed(0)} log bytes per event; plain consumer: ${(records.length / read.batches).toFixed(0)} records per fetch batch, ${read.rate.toFixed(0)} records/s`;
      console.log(`${v.label}: ${backlog}`);
    }
    const t0 = performance.now();
    const group = await startSut(cluster, sut, runId);
    const ready = performance.now();
    const drained = await waitForDrain(kafka, `${sut.name}-${runId}`, input, 600_000, 0);
    const done = performance.now();
    await group.stopAll();
    if (!drained) throw new Error(`${v.label}: not drained within 600 s`);
    const row = { label: v.label, withStart: records.length / ((done - t0) / 1000), afterStart: records.length / ((done - ready) / 1000), startS: (ready - t0) / 1000, backlog };
    rows.push(row);
    console.log(`${v.label}: ${records.length} events, start-up ${row.startS.toFixed(1)} s, drained ${((done - t0) / 1000).toFixed(1)} s after the start command`);
  }
  console.log(`\n${records.length} orders events (backlog), 2 instances, ${PARTITIONS} partitions, 3 brokers (RF 3), one run:`);
  console.log(`${'pipeline'.padEnd(48)} ${'events/s incl. start'.padStart(20)} ${'events/s excl. start'.padStart(20)} ${'start-up'.padStart(9)}`);
  for (const r of rows) console.log(`${r.label.padEnd(48)} ${r.withStart.toFixed(0).padStart(20)} ${r.afterStart.toFixed(0).padStart(20)} ${`${r.startS.toFixed(1)} s`.padStart(9)}`);
  const of = (label: string) => rows.find((r) => r.label === label)!.afterStart;
  const mean = (label: string) => {
    const rates = rows.filter((r) => r.label === label).map((r) => r.afterStart);
    return rates.reduce((a, b) => a + b, 0) / rates.length;
  };
  const [large, small, lingered] = [backlogs[0]!.label, backlogs[1]!.label, backlogs.find((b) => b.backlog === 'generate-linger')?.label];
  if (BACKLOGS) {
    console.log(`\nexcl. start, mean of 2 each, against the backlog in 500-record requests (${mean(large).toFixed(0)} events/s):`);
    const linger = lingered ? `; by generate --linger-ms ${BACKLOG_LINGER_MS}: ${(mean(lingered) / mean(large)).toFixed(2)} (${mean(lingered).toFixed(0)} events/s)` : '';
    console.log(`  by generate: ${(mean(small) / mean(large)).toFixed(2)} (${mean(small).toFixed(0)} events/s)${linger}`);
  }
  else console.log(`\nexcl. start: reference EOS / ALO ${(of('reference, exactly-once') / of('reference, at-least-once')).toFixed(2)}; Kafka Streams EOS / ALO ${(of('Kafka Streams, exactly_once_v2') / of('Kafka Streams, at_least_once')).toFixed(2)}; reference / Kafka Streams: EOS ${(of('reference, exactly-once') / of('Kafka Streams, exactly_once_v2')).toFixed(2)}, ALO ${(of('reference, at-least-once') / of('Kafka Streams, at_least_once')).toFixed(2)}`);
} finally {
  await cluster.stop();
}
