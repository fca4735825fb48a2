/**
 * The payments example: one instance of a kafkajs consume-transform-produce app, started by
 * streamproof through the SUT contract (examples/payments/README.md, docs/sut-contract.md).
 *   node --import tsx examples/payments/app/main.ts
 */
import { Kafka, logLevel } from 'kafkajs';
import { appConfig, ConfigError, type AppConfig } from './app-config.ts';
import { MerchantWindows, type WindowsSnapshot } from './merchant-windows.ts';
import { PaymentRouter } from './payment-router.ts';
import { RegistryValues } from './registry-values.ts';
import { TransactionalWriter } from './transactional-writer.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
const log = (line: string) => process.stdout.write(`[payments ${new Date().toISOString()}] ${line}\n`);

let config: AppConfig;
try {
  config = appConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`payments: ${error.message}\n`);
  process.exit(64);
}
const LOG_LEVELS: Record<string, logLevel> = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG };
const kafka = new Kafka({
  brokers: config.bootstrapServers,
  clientId: config.clientId,
  connectionTimeout: 3000,
  logLevel: LOG_LEVELS[process.env.PAYMENTS_KAFKAJS_LOG ?? 'error'] ?? logLevel.ERROR,
  retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
});
// Windows are per instance and in memory: another instance's merchants would be split (see README).
if (config.instanceCount > 1) log(`warning: ${config.instanceCount} instances: merchant windows are per instance, so each emits partial totals`);

const admin = kafka.admin();
await admin.connect();
const [aggregateMeta] = (await admin.fetchTopicMetadata({ topics: [config.aggregateTopic] })).topics;
const windows = new MerchantWindows({ sizeMs: config.windowMs, graceMs: config.graceMs });
const router = new PaymentRouter(
  { input: config.inputTopic, records: config.recordsTopic, aggregate: config.aggregateTopic, dlq: config.dlqTopic, late: config.lateTopic, aggregatePartitions: aggregateMeta!.partitions.length },
  windows,
  config.outputFields,
);
const registryValues = config.schemaRegistryUrl ? new RegistryValues(config.schemaRegistryUrl, log) : undefined;
const writer = new TransactionalWriter(kafka, `${config.groupId}-${config.instanceId}`, config.groupId);
const consumer = kafka.consumer({
  groupId: config.groupId,
  readUncommitted: false,
  maxWaitTimeInMs: config.fetchWaitMs,
  minBytes: 64 * 1024,
  sessionTimeout: 10_000,
  heartbeatInterval: 1000,
  rebalanceTimeout: 20_000,
});

// Everything that touches the windows or the producer runs one at a time: batches, idle flushes, shutdown.
let chain: Promise<unknown> = Promise.resolve();
const serial = <T>(work: () => Promise<T>): Promise<T> => {
  const next = chain.then(work, work);
  chain = next.catch(() => undefined);
  return next;
};

/** Committed input offsets: records below them were processed by a transaction that committed. */
const committed = new Map<number, number>();
/** A unit of work whose transaction failed: it may still have committed (a lost commit response). */
let unsettled: { partition: number; next: number; before: WindowsSnapshot } | undefined;
let needsResync = true;
/** Records behind the last fetched batch, per partition: a partition with a backlog is not idle. */
const backlog = new Map<number, number>();
let lastInputAt = Date.now();
let ready = false;

/**
 * Re-reads the committed offsets (at start, after a rebalance, after a failed transaction) and
 * settles a failed unit of work: if its offsets committed, so did its outputs and the windows
 * keep its records; otherwise the windows go back to before it and kafkajs re-delivers it.
 */
async function resync(): Promise<void> {
  const [topic] = await admin.fetchOffsets({ groupId: config.groupId, topics: [config.inputTopic] });
  committed.clear();
  for (const p of topic?.partitions ?? []) committed.set(p.partition, Number(p.offset));
  if (unsettled) {
    const didCommit = (committed.get(unsettled.partition) ?? -1) >= unsettled.next;
    if (!didCommit) windows.restore(unsettled.before);
    log(`failed unit of work on partition ${unsettled.partition} ${didCommit ? 'had committed: kept' : 'rolled back'}`);
    unsettled = undefined;
  }
  needsResync = false;
}

consumer.on(consumer.events.GROUP_JOIN, (event) => {
  const partitions = (event.payload.memberAssignment[config.inputTopic] ?? []).slice().sort((a, b) => a - b);
  needsResync = true;
  log(`${ready ? 'rejoined' : 'ready: instance'} ${config.instanceId} group ${config.groupId} partitions [${partitions.join(',')}]`);
  ready = true;
});
consumer.on(consumer.events.CRASH, (event) => {
  log(`consumer crashed: ${event.payload.error.message} (restart: ${event.payload.restart})`);
  // A consumer kafkajs will not restart would leave a live process that reads nothing: exit so the harness sees a crash.
  if (!event.payload.restart) process.exit(1);
});

await consumer.connect();
await consumer.subscribe({ topics: [config.inputTopic], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  partitionsConsumedConcurrently: 1,
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    // kafkajs heartbeats only between batches; a transaction waiting out a leader failover can outlive the session.
    const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), 1000);
    try {
      await serial(async () => {
        if (needsResync) await resync();
        const last = Number(batch.messages.at(-1)!.offset);
        const from = committed.get(batch.partition) ?? -1;
        const fetched = batch.messages.filter((m) => Number(m.offset) >= from);
        const records = registryValues ? await registryValues.decodeAll(fetched) : fetched;
        const before = windows.snapshot();
        const outputs = router.route(batch.partition, records);
        try {
          await writer.write(outputs, { topic: batch.topic, partition: batch.partition, next: String(last + 1) });
        } catch (error) {
          unsettled = { partition: batch.partition, next: last + 1, before };
          needsResync = true;
          await writer.reset();
          log(`unit of work ${batch.partition}@${batch.messages[0]!.offset}-${last} not written: ${(error as Error).message}`);
          throw error;
        }
        committed.set(batch.partition, last + 1);
        backlog.set(batch.partition, Math.max(0, Number(batch.highWatermark) - last - 1));
        lastInputAt = Date.now();
        resolveOffset(String(last));
      });
    } finally {
      clearInterval(keepAlive);
    }
    await heartbeat();
  },
});

/**
 * The end of the input closes the last windows: no later event will move the watermark past
 * them. Idle = no record for idleFlushMs and no backlog at the last fetch of any partition.
 */
async function flushIfIdle(force: boolean): Promise<void> {
  if (windows.openCount === 0) return;
  const idle = Date.now() - lastInputAt >= config.idleFlushMs && [...backlog.values()].every((n) => n === 0);
  if (!force && !idle) return;
  if (needsResync) await resync(); // settle a failed unit of work first: the windows may roll back
  const before = windows.snapshot();
  const outputs = router.flush();
  try {
    await writer.write(outputs);
    log(`${force ? 'shutdown' : 'idle'}: flushed ${outputs.length} open windows (watermark ${windows.watermarkMs})`);
  } catch (error) {
    windows.restore(before);
    await writer.reset();
    log(`flush of ${outputs.length} windows not written, retried later: ${(error as Error).message}`);
  }
}
const ticker = setInterval(() => void serial(() => flushIfIdle(false)).catch((error: unknown) => log(`idle check not done: ${(error as Error).message}`)), 500);
const stats = setInterval(() => log(`routed ${JSON.stringify(router.counts)}, open windows ${windows.openCount}, watermark ${windows.watermarkMs}`), 10_000);

async function shutdown(signal: string): Promise<void> {
  log(`${signal}: stopping`);
  setTimeout(() => process.exit(1), 8000).unref(); // within the harness's 10 s before SIGKILL
  clearInterval(ticker);
  clearInterval(stats);
  await consumer.disconnect().catch(() => undefined);
  // The harness stops the app once the input is drained: the windows still open are complete.
  await serial(() => flushIfIdle(true)).catch(() => undefined);
  await writer.close();
  await admin.disconnect().catch(() => undefined);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
