import { outputsOf } from '../harness/sut/sut-config.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedRecord } from '../generators/record.ts';
import type { LocalCluster } from '../harness/cluster/local-provider.ts';
import { Random } from '../harness/random.ts';
import { readTopic } from '../harness/testing/read-topic.ts';
import { startTestCluster } from '../harness/testing/lab.ts';
import { GoldSink } from './gold-sink.ts';
import { referenceSut } from './reference-sut.ts';
import { createKafka, ordersWorkload, produceAll, startSut, waitForDrain } from './testing/pipeline-run.ts';
import { expectedWindows, windowFromRow, type ExpectedWindow } from './testing/window-oracle.ts';

// Acceptance of the reference pipeline on a real 3-broker lab with 2 instances: gold equals
// the oracle computed in DuckDB, the DLQ holds exactly the poison, the late topic exactly the
// late records; and the same after SIGKILLs of an instance at three seeded moments.
const COUNT = Number(process.env.PIPELINE_TEST_EVENTS ?? 50_000);
const PARTITIONS = 4;
const WINDOW_MS = 60_000;
let cluster: LocalCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startTestCluster('pipeline', { brokers: 3 });
  kafka = createKafka(cluster.clientSettings('pipeline-test'));
});

afterAll(async () => {
  await cluster?.stop();
});

const keyOf = (w: Pick<ExpectedWindow, 'partition' | 'window_start_ms' | 'region'>) => `${w.partition}|${w.window_start_ms}|${w.region}`;

async function sinkWindows(dir: string): Promise<ExpectedWindow[]> {
  const instance = await DuckDBInstance.create(GoldSink.fileIn(dir), { access_mode: 'READ_ONLY' });
  const db = await instance.connect();
  const rows = (await db.runAndReadAll('SELECT partition, window_start_ms, region, event_count, order_count, revenue_cents FROM gold_windows')).getRowObjects();
  db.closeSync();
  instance.closeSync();
  return rows.map(windowFromRow);
}

/** Runs the workload through the pipeline and checks every output against the ground truth. */
async function runAndCheck(prefix: string, workload: { warmup: GeneratedRecord[]; main: GeneratedRecord[] }, kills: number[]) {
  const records = [...workload.warmup, ...workload.main];
  const sinkDir = mkdtempSync(join(tmpdir(), `streamproof-sink-${prefix}`));
  const sut = referenceSut({ instances: 2, prefix, partitions: PARTITIONS, sinkDir, env: { PIPELINE_IDLE_TIMEOUT_MS: '3000' } });
  const group = await startSut(cluster, sut, prefix.replace(/\W/g, ''));
  const input = sut.topics.input[0]!.name;
  const groupId = `${sut.name}-${prefix.replace(/\W/g, '')}`;
  try {
    await produceAll(kafka, input, workload.warmup);
    expect(await waitForDrain(kafka, groupId, input, 120_000, 0)).toBe(true);
    const pending = [...kills];
    await produceAll(kafka, input, workload.main, async (sent) => {
      while (pending.length > 0 && sent >= pending[0]!) {
        pending.shift();
        // SIGKILL mid-stream (often mid-transaction), then the supervisor restarts it.
        await group.instance(1).kill();
        await group.instance(1).start();
      }
    });
    expect(await waitForDrain(kafka, groupId, input)).toBe(true);
  } finally {
    await group.stopAll();
  }

  const idsOf = (rs: { headers: Record<string, string> }[]) => rs.map((r) => r.headers['sp-event-id']).sort();
  const truthIds = (kind: string) => records.filter((r) => r.truth.kind === kind).map((r) => r.eventId).sort();
  const [dlq, late, silver, gold] = await Promise.all((['dlq', 'late', 'records', 'aggregate'] as const).map((role) => outputsOf(sut, role)[0]!.name).map((t) => readTopic(kafka, t)));
  const seenDlq = new Map<string, typeof dlq>();
  for (const r of dlq!) seenDlq.set(r.headers['sp-event-id']!, [...(seenDlq.get(r.headers['sp-event-id']!) ?? []), r]);
  for (const [id, rs] of seenDlq) if (rs!.length > 1) console.log('DLQ DUP', id, rs!.map((r) => `${r.partition}/${r.offset} src=${r.headers['sp-source']}`).join(' ; '));
  expect(idsOf(dlq!)).toEqual(truthIds('poison'));
  expect(dlq!.every((r) => r.headers['sp-dlq-reason'])).toBe(true);
  // Dedupe state is bounded (window + allowed disorder behind the watermark), so a re-send of a
  // late event is no longer remembered and is reported late again: allowed, but nothing else.
  const lateIds = idsOf(late!);
  for (const id of truthIds('late')) {
    if (lateIds.includes(id)) continue;
    const where = silver!.filter((r) => r.headers['sp-event-id'] === id).map((r) => `silver ${r.partition}/${r.offset} src=${r.headers['sp-source']} t=${JSON.parse(r.value!.toString()).event_time_ms}`);
    console.log('LATE MISSING', id, where.join(';'), 'groupdir', group.config.name);
  }
  expect([...new Set(lateIds)]).toEqual(truthIds('late'));
  const lateDuplicates = records.filter((r) => r.truth.kind === 'duplicate' && r.truth.expectedLate).map((r) => r.eventId);
  const repeats = lateIds.filter((id, i) => lateIds[i - 1] === id) as string[];
  expect(repeats.every((id) => lateDuplicates.includes(id))).toBe(true);
  expect(idsOf(silver!)).toEqual(truthIds('valid'));

  // Gold: every window up to the last one each partition closed equals the oracle, exactly once.
  const oracle = await expectedWindows(records, PARTITIONS, WINDOW_MS);
  const goldTopic = gold!.map((r) => JSON.parse(r.value!.toString()) as ExpectedWindow & { window_end_ms: number });
  expect(new Set(goldTopic.map(keyOf)).size).toBe(goldTopic.length);
  const closedThrough = new Map<number, number>();
  for (const w of goldTopic) closedThrough.set(w.partition, Math.max(closedThrough.get(w.partition) ?? 0, w.window_start_ms));
  const comparable = oracle.filter((w) => w.window_start_ms <= (closedThrough.get(w.partition) ?? -1));
  expect(comparable.length).toBeGreaterThan(oracle.length * 0.7);
  const strip = (w: ExpectedWindow) => ({ partition: w.partition, window_start_ms: w.window_start_ms, region: w.region, event_count: w.event_count, order_count: w.order_count, revenue_cents: w.revenue_cents });
  const sortByKey = (ws: ExpectedWindow[]) => ws.map(strip).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  expect(sortByKey(goldTopic)).toEqual(sortByKey(comparable));
  expect(sortByKey(await sinkWindows(sinkDir))).toEqual(sortByKey(comparable));
  return { windows: comparable.length, oracleWindows: oracle.length };
}

describe('reference pipeline (exactly-once, 3 brokers, 2 instances)', () => {
  it(`matches the oracle for ${COUNT} orders with disorder, late, duplicates and 1% poison`, async () => {
    const records = ordersWorkload(42, COUNT, PARTITIONS);
    const { windows, oracleWindows } = await runAndCheck('clean.', records, []);
    console.log(`gold: ${windows}/${oracleWindows} oracle windows closed and equal`);
  });

  it('still matches the oracle exactly after SIGKILL of an instance at three seeded moments', async () => {
    const records = ordersWorkload(43, COUNT, PARTITIONS);
    const rng = new Random(43).fork('kills');
    const kills = [0, 1, 2].map((i) => Math.floor(((i + rng.next()) / 3) * COUNT * 0.9)).sort((a, b) => a - b);
    const { windows } = await runAndCheck('crash.', records, kills);
    console.log(`kills after ${kills.join(', ')} records; gold: ${windows} windows equal`);
  });
});
