import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../cluster/local-provider.ts';
import { HistoryReader, HistoryWriter } from '../../history/index.ts';
import { createKafka } from '../../kafka/kafka-client.ts';
import { startTestCluster } from '../../testing/lab.ts';
import { findK6 } from '../../tools/k6-binary.ts';
import { K6_THRESHOLDS_FAILED, runK6Load } from './run-k6-load.ts';
import { createTopicsWithLeaders } from '../../kafka/create-topics.ts';

// k6 against a real 1-broker lab, with the user's k6 (official k6 + xk6-kafka: STREAMPROOF_K6 or
// PATH; streamproof never builds k6). Skipped, with the reason, when there is none.
const found = await findK6();
console.warn(found.found ? `[k6] ${found.path}: ${found.version.split('\n')[0]}` : `[k6] SKIPPED: ${found.reason}`);
let cluster: LocalCluster;
let admin: Admin;
let k6: string;
const dir = mkdtempSync(join(tmpdir(), 'streamproof-k6-'));
const log = process.env.STREAMPROOF_TEST_VERBOSE ? (line: string) => process.stderr.write(`${line}\n`) : () => undefined;

beforeAll(async () => {
  if (!found.found) return;
  k6 = found.path;
  cluster = await startTestCluster('k6', { brokers: 1 });
  admin = createKafka(cluster.clientSettings('k6-test')).admin();
  await admin.connect();
}, 180_000);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function createTopic(topic: string): Promise<void> {
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }]);
}

async function recordsIn(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

describe.skipIf(!found.found)('k6 load', () => {
  it('writes as many records as its summary says, and the summary lands in the history', async () => {
    const topic = 'k6.orders.v1';
    await createTopic(topic);
    const historyPath = join(dir, 'history.duckdb');
    const history = await HistoryWriter.open(historyPath);
    const result = await runK6Load({
      bootstrap: cluster.bootstrapServers(),
      topic,
      rate: 500,
      durationS: 5,
      seed: 7,
      summaryPath: join(dir, 'summary.json'),
      history,
      k6Binary: k6,
      onLine: log,
    }).finally(() => history.close());

    expect(result.messagesFailed).toBe(0);
    // A busy machine may drop a few arrivals (and then fail the drop threshold): the result
    // must say so consistently, never crash.
    expect([0, K6_THRESHOLDS_FAILED]).toContain(result.exitCode);
    expect(result.thresholdsPassed).toBe(result.exitCode === 0);
    // One message per iteration at this rate; k6 starts R * D arrivals, plus one at t = 0. An
    // iteration still running when the duration ends is cut off, neither written nor dropped
    // (seen: 2499), so the lower bound allows a handful.
    expect(result.messagesWritten).toBeGreaterThan(0);
    expect(result.messagesWritten + result.droppedIterations).toBeGreaterThanOrEqual(2490);
    expect(result.messagesWritten + result.droppedIterations).toBeLessThanOrEqual(2501);
    expect(await recordsIn(topic)).toBe(result.messagesWritten);

    using reader = await HistoryReader.open(historyPath);
    const [stored] = await reader.summaries('k6');
    const body = stored!.body as { metrics: Record<string, { values: Record<string, number> }> };
    expect(body.metrics.kafka_writer_message_count!.values.count).toBe(result.messagesWritten);
    const written = await reader.metrics('k6.messages_written');
    expect(written.map((m) => [m.value, m.labels])).toEqual([[result.messagesWritten, { topic, engine: 'k6' }]]);
    expect((await reader.metrics('k6.rate'))[0]!.value).toBeCloseTo(result.ratePerSec, 6);
  });

  it('reports failed thresholds as a result (exit 99), not a crash', async () => {
    const topic = 'k6.starved.v1';
    await createTopic(topic);
    // One VU cannot serve 1000 iterations/s: arrivals are dropped, and no drop is tolerated.
    const result = await runK6Load({
      bootstrap: cluster.bootstrapServers(),
      topic,
      rate: 2000,
      durationS: 2,
      seed: 8,
      summaryPath: join(dir, 'starved.json'),
      env: { PRE_VUS: '1', MAX_VUS: '1', DROP_TOLERANCE: '0' },
      k6Binary: k6,
      onLine: log,
    });
    expect(result.exitCode).toBe(K6_THRESHOLDS_FAILED);
    expect(result.thresholdsPassed).toBe(false);
    expect(result.thresholds.find((t) => t.metric === 'dropped_iterations')).toMatchObject({ ok: false });
    expect(result.droppedIterations).toBeGreaterThan(0);
    expect(await recordsIn(topic)).toBe(result.messagesWritten);
  });
});
