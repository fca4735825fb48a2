/**
 * The reference pipeline: one instance of an orders medallion job, run as its own process
 * through the SUT contract (docs/sut-contract.md, pipeline/README.md).
 *   node bin/run-ts.js pipeline/main.ts [--mode exactly-once|at-least-once] [--bug name,...] [--delay-ms N]
 */
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { BatchProcessor } from './batch-processor.ts';
import { RegistryDecoder } from './registry-decoder.ts';
import { GoldSink } from './gold-sink.ts';
import { OrderPipeline } from './operators/order-pipeline.ts';
import { OutputWriter, type OutputRecord } from './output-writer.ts';
import { pipelineConfig } from './pipeline-config.ts';
import { PipelineMetrics } from './pipeline-metrics.ts';
import { StateChangelog } from './state-changelog.ts';

const log = (line: string) => process.stdout.write(`[pipeline ${new Date().toISOString()}] ${line}\n`);
/** A batch that takes this long from fetch to commit is logged with where its time went (queue, restore and processing, transaction). */
const SLOW_BATCH_MS = 2000;

const config = pipelineConfig(process.env, process.argv.slice(2));
// The planted non-transactional-output bug: claims exactly-once, writes at-least-once.
const mode = config.bugs.has('non-transactional-output') ? 'at-least-once' : config.mode;
const kafka = createKafka({ brokers: config.bootstrapServers, clientId: config.clientId, retries: 8 });
const metrics = new PipelineMetrics();
await metrics.listen(config.metricsPort, config.instanceId);

const admin = kafka.admin();
await admin.connect();
const inputMeta = await admin.fetchTopicMetadata({ topics: [config.inputTopic] });
const partitionCount = inputMeta.topics[0]!.partitions.length;
const replication = Math.min(3, (await admin.describeCluster()).brokers.length);
await admin.disconnect();

const changelog = new StateChangelog(kafka, config.changelogTopic);
await changelog.ensureTopic(partitionCount, replication);
const pipeline = new OrderPipeline({
  piiSecret: config.piiSecret,
  windowSizeMs: config.windowSizeMs,
  allowedOutOfOrdernessMs: config.allowedOutOfOrdernessMs,
  idleTimeoutMs: config.idleTimeoutMs,
  maxRecordBytes: config.maxRecordBytes,
  bugs: config.bugs,
});
// Registry lookups that fail wait (logged every tenth attempt): the batch's keep-alive heartbeats meanwhile.
const registry = config.schemaRegistryUrl
  ? new RegistryDecoder(config.schemaRegistryUrl, (attempt, error) => void (attempt % 10 === 1 && log(`schema registry unreachable (attempt ${attempt}): ${error.message}`)))
  : undefined;
const processor = new BatchProcessor(config, pipeline, metrics, (s) => changelog.record(s), config.changelogTopic, registry);
const consumer = kafka.consumer({
  groupId: config.groupId,
  readUncommitted: false,
  // Each unit of work is one transaction per input partition (markers on every partition it
  // touched, replicated): at a trickle, waiting a little for fuller fetches makes far fewer
  // transactions, which is what keeps latency low on a busy machine (cf. commit.interval.ms).
  maxWaitTimeInMs: config.fetchWaitMs,
  minBytes: 256 * 1024,
  // The broker's minimum (group.min.session.timeout.ms): a SIGKILLed instance's partitions
  // stall until its session expires, so this bounds recovery from a crash.
  sessionTimeout: 6_000,
  rebalanceTimeout: 20_000,
  heartbeatInterval: 1000,
  maxBytesPerPartition: 256 * 1024,
});
const writer = new OutputWriter(
  kafka,
  mode,
  config.groupId,
  config.inputTopic,
  (o) => consumer.commitOffsets([{ topic: o.topic, partition: o.partition, offset: o.next }]),
  { topic: config.changelogTopic, intervalMs: config.checkpointIntervalMs },
);
const sink = config.instanceId === 0 && config.sinkDir ? new GoldSink(kafka, config.goldTopic, config.sinkDir) : undefined;

// Everything that touches operator state runs one at a time: batches, ticks, (re)assignments.
let chain: Promise<unknown> = Promise.resolve();
const serial = <T>(work: () => Promise<T>): Promise<T> => {
  const next = chain.then(work, work);
  chain = next.catch(() => undefined);
  return next;
};

let needsRestore = true;
/** The planted commit-before-process bug: outputs whose input offsets are already committed. */
const unsafeBuffer: OutputRecord[] = [];
let assigned: number[] = [];
/** Committed input offsets read after fencing; records below them were already processed. */
const committedFrom = new Map<number, number>();

/**
 * Makes this instance the owner of its assigned partitions, in the only safe order: fence
 * older owners, then read the changelog and the committed offsets (now stable). Runs on the
 * first batch after every (re)assignment and after any failure.
 */
async function takeOwnership(): Promise<void> {
  const now = Date.now();
  pipeline.revoke(pipeline.assigned());
  await writer.fence(assigned);
  // The planted lose-state-on-rebalance bug: partitions start empty instead of restored.
  const restored = config.bugs.has('lose-state-on-rebalance') ? [] : await changelog.load(assigned);
  // The planted dedupe-not-restored bug: windows come back, the dedupe ids do not.
  const states = config.bugs.has('dedupe-not-restored') ? restored.map((s) => ({ ...s, dedupe: { entries: [] } })) : restored;
  pipeline.assign(assigned, now, states);
  processor.forgetWrittenState();
  const offsetsAdmin = kafka.admin();
  await offsetsAdmin.connect();
  try {
    const [topic] = await offsetsAdmin.fetchOffsets({ groupId: config.groupId, topics: [config.inputTopic] });
    committedFrom.clear();
    for (const p of topic?.partitions ?? []) committedFrom.set(p.partition, Number(p.offset));
    const ends = await offsetsAdmin.fetchTopicOffsets(config.inputTopic);
    // What waits in each partition before its first fetch: a partition with a backlog must not turn
    // idle unread while others are caught up (markBacklogged), as it did in a rebuild from scratch.
    for (const p of ends) {
      const from = committedFrom.get(p.partition) ?? -1;
      if (assigned.includes(p.partition)) metrics.lag.set(p.partition, Math.max(0, Number(p.high) - (from >= 0 ? from : Number(p.low))));
    }
    // The planted restart-from-latest bug: a restart skips to the end instead of the committed offsets.
    if (config.bugs.has('restart-from-latest') && [...committedFrom.values()].some((o) => o >= 0)) {
      for (const p of ends) committedFrom.set(p.partition, Number(p.high));
    }
  } finally {
    await offsetsAdmin.disconnect();
  }
  needsRestore = false;
  metrics.ready = true;
  log(`owner of [${assigned.join(',')}]: committed offsets ${[...committedFrom].map(([p, o]) => `${p}:${o}`).join(' ')}, state restored for ${states.length}`);
}

consumer.on(consumer.events.GROUP_JOIN, (event) => {
  const partitions = (event.payload.memberAssignment[config.inputTopic] ?? []).slice().sort((a, b) => a - b);
  void serial(async () => {
    assigned = partitions;
    needsRestore = true;
    // Own the partitions now rather than on the first batch, so "ready" means ready to process.
    await takeOwnership().catch((error: unknown) => log(`taking ownership failed, retried on the next batch: ${(error as Error).message}`));
    log(`ready: instance ${config.instanceId} joined group ${config.groupId} with partitions [${partitions.join(',')}] (${mode}${config.bugs.size ? `, bugs: ${[...config.bugs].join(',')}` : ''})`);
  });
});
consumer.on(consumer.events.CRASH, (event) => {
  needsRestore = true;
  log(`consumer crashed: ${event.payload.error.message} (restart: ${event.payload.restart})`);
  // A consumer kafkajs will not restart leaves a live process that processes nothing: exit, so
  // whoever supervises the instance sees it (as a Kafka Streams client shuts down when a thread dies).
  if (!event.payload.restart) void shutdown('consumer stopped for good', 1);
});

await consumer.connect();
await consumer.subscribe({ topics: [config.inputTopic], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  partitionsConsumedConcurrently: 1,
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const arrived = Date.now();
    // kafkajs heartbeats only between batches: a batch whose transaction waits out a leader
    // failover (seconds of producer retries) would outlive the 6 s session, and the rebalance
    // that follows costs far more than the failover itself.
    const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), 1000);
    try {
      await serial(async () => {
        const started = Date.now();
        if (needsRestore) await takeOwnership();
        if (!assigned.includes(batch.partition)) return; // a batch fetched for a partition we no longer own
        const last = batch.messages.at(-1)!.offset;
        // Records a previous owner already committed (it finished between our join and our fence).
        const from = committedFrom.get(batch.partition) ?? -1;
        const messages = batch.messages.filter((m) => Number(m.offset) >= from);
        if (messages.length < batch.messages.length) log(`skipped ${batch.messages.length - messages.length} already committed records of ${batch.partition} (from ${batch.messages[0]!.offset})`);
        metrics.lag.set(batch.partition, Math.max(0, Number(batch.highWatermark) - Number(last) - 1));
        markBacklogged();
        try {
          if (config.bugs.has('commit-before-process')) {
            // Like an async sink: offsets committed on receipt, outputs buffered and flushed by the ticker.
            await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(last) + 1) }]);
            unsafeBuffer.push(...(await processor.process(batch.partition, messages, Date.now())));
          } else {
            let outputs = await processor.process(batch.partition, messages, Date.now());
            if (config.bugs.has('bronze-outside-transaction')) {
              // The planted bug: raw landing "made fast" by a plain producer ahead of the transaction.
              await writer.writeWithoutTransaction(outputs.filter((o) => o.topic === config.bronzeTopic));
              outputs = outputs.filter((o) => o.topic !== config.bronzeTopic);
            }
            const processed = Date.now();
            await writer.write(outputs, { topic: batch.topic, partition: batch.partition, next: String(Number(last) + 1) }, batch.partition);
            const done = Date.now();
            if (done - arrived >= SLOW_BATCH_MS) {
              log(`slow batch ${batch.partition}@${batch.messages[0]!.offset}-${last}: ${messages.length} records in ${done - arrived} ms (queued ${started - arrived}, restore and processing ${processed - started}, transaction ${done - processed})`);
            }
          }
        } catch (error) {
          needsRestore = true;
          log(`batch ${batch.partition}@${batch.messages[0]!.offset}-${last} failed: ${(error as Error).message}`);
          // kafkajs restarts a consumer only after a retriable error; a non-retriable one (the
          // producer's INVALID_TXN_STATE after a paused broker, seen in 03-broker-pause) stopped this
          // instance for good. Any failure is worth a retry: the next batch fences with fresh producers.
          throw Object.assign(new Error(`batch failed, retried after re-taking ownership: ${(error as Error).message}`), { retriable: true });
        }
        metrics.add('records_in', messages.length);
        committedFrom.set(batch.partition, Number(last) + 1);
        resolveOffset(last);
      });
    } finally {
      clearInterval(keepAlive);
    }
    await heartbeat();
  },
});
await sink?.start();

/** Partitions whose last fetch showed more records behind it cannot be idle (see the operator). */
function markBacklogged(): void {
  const now = Date.now();
  for (const [partition, lag] of metrics.lag) if (lag > 0 && assigned.includes(partition)) pipeline.markBacklogged(partition, now);
}

// Idle partitions must not stall the watermark forever: ticks let the operator notice idleness.
const ticker = setInterval(() => {
  void serial(async () => {
    if (unsafeBuffer.length > 0) await writer.writeWithoutTransaction(unsafeBuffer.splice(0)).catch((error: unknown) => log(`buffered write failed: ${(error as Error).message}`));
    if (needsRestore || assigned.length === 0) return;
    markBacklogged();
    const emitted = pipeline.tick(Date.now());
    try {
      if (emitted.length === 0) return await writer.checkpointIfDue();
      await writer.write(processor.closedWindows(emitted), undefined, assigned[0]!);
    } catch (error) {
      needsRestore = true;
      log(`tick write failed: ${(error as Error).message}`);
    }
  });
}, 1000);

async function shutdown(signal: string, exitCode = 0): Promise<void> {
  log(`${signal}: stopping`);
  clearInterval(ticker);
  await consumer.disconnect().catch(() => undefined);
  await serial(async () => (unsafeBuffer.length > 0 ? writer.writeWithoutTransaction(unsafeBuffer.splice(0)) : undefined)).catch(() => undefined);
  await Promise.allSettled([writer.close(), sink?.stop()]);
  metrics.close();
  process.exit(exitCode);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
