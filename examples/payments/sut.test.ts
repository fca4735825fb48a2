/**
 * The SUT file and the scenario as the harness reads them, and the app's pure logic judged by
 * the harness's own checkers on a history built without Kafka: the scenario's workload through
 * PaymentRouter in send order, every output recorded as the run would observe it. Proves the
 * oracle, the field map, the identities and the PII declaration agree with what the app writes.
 * Run from the repository root (the scenario's domainFile is relative to it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkerByName, runCheckers, type CheckResult } from '../../harness/checkers/index.ts';
import { HistoryReader } from '../../harness/history/history-reader.ts';
import { HistoryWriter } from '../../harness/history/history-writer.ts';
import { oracleSamples } from '../../harness/run/oracle-samples.ts';
import { checkerParamsFor } from '../../harness/run/run-meta.ts';
import { checkScenarioTopics } from '../../harness/run/topic-refs.ts';
import { checkOracleBinding } from '../../harness/sut/oracle-check.ts';
import type { SutConfig } from '../../harness/sut/sut-config.ts';
import { loadSutFile } from '../../harness/sut/sut-file.ts';
import { generateEvents } from '../../generators/generate-events.ts';
import { kafkaPartition } from '../../generators/murmur2.ts';
import { loadScenarios, type Scenario } from '../../scenarios/index.ts';
import { MerchantWindows } from './app/merchant-windows.ts';
import { PaymentRouter, type OutputRecord } from './app/payment-router.ts';

const here = import.meta.dirname;
const T0_MS = Date.UTC(2026, 0, 1);
const PARTITIONS = 4;

let sut: SutConfig;
let scenario: Scenario;
let dir: string;
let results: Map<string, CheckResult>;

/** Sends the scenario's workload (3 minutes of event time) through the app's logic and records it all. */
async function historyOfTheApp(path: string): Promise<void> {
  const [input, records, aggregate, dlq, late] = ['payments.raw.v1', 'payments.clean.v1', 'payments.merchant-totals.v1', 'payments.dlq.v1', 'payments.late.v1'];
  const roleOf = new Map([[records!, 'records'], [aggregate!, 'aggregate'], [dlq!, 'dlq'], [late!, 'late']]);
  const router = new PaymentRouter({ input: input!, records: records!, aggregate: aggregate!, dlq: dlq!, late: late!, aggregatePartitions: PARTITIONS }, new MerchantWindows({ sizeMs: 60_000, graceMs: 5_000 }));
  const writer = await HistoryWriter.open(path);
  const offsets = new Map<string, number>();
  const nextOffset = (topic: string, partition: number) => {
    const at = offsets.get(`${topic}/${partition}`) ?? 0;
    offsets.set(`${topic}/${partition}`, at + 1);
    return at;
  };
  const observe = (o: OutputRecord, us: number) => {
    const offset = nextOffset(o.topic, o.partition);
    const headers = Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, String(v)]));
    const row = { topic: o.topic, partition: o.partition, offset, key: o.key === null ? null : String(o.key), value: Buffer.from(o.value), headers, observedUs: us };
    writer.recordObserved({ ...row, role: roleOf.get(o.topic)! });
    writer.recordObserved({ ...row, role: `${roleOf.get(o.topic)!}-live` });
  };
  let i = 0;
  let us = T0_MS * 1000;
  for (const r of generateEvents({ domain: scenario.workload.domain, seed: 7, count: 3600, eventsPerSecond: 20, startTimeMs: T0_MS, ...scenario.workload.knobs })) {
    us = (T0_MS + i * 10) * 1000;
    const partition = r.key === null ? i % PARTITIONS : kafkaPartition(r.key, PARTITIONS); // Kafka's default partitioner
    const offset = nextOffset(input!, partition);
    const headers = { 'sp-event-id': r.eventId, 'sp-send-ts': String(us) };
    writer.recordSend({ sendId: i, eventId: r.eventId, key: r.key, topic: input!, partition, offset, outcome: 'ok', invokeUs: us, completeUs: us + 1000, value: r.value, truth: r.truth.kind, eventTimeMs: r.eventTimeMs });
    writer.recordObserved({ role: 'input', topic: input!, partition, offset, key: r.key, value: r.value, headers, observedUs: us + 1000 });
    const inputHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    for (const o of router.route(partition, [{ key: r.key === null ? null : Buffer.from(r.key), value: Buffer.from(r.value), headers: inputHeaders, offset: String(offset) }])) observe(o, us + 2000);
    i++;
  }
  for (const o of router.flush()) observe(o, us + 10_000);
  // As a run records it: pii reads the PII fields the scenario's domain file declares from here.
  await writer.setMeta('scenario', JSON.parse(JSON.stringify(scenario)));
  await writer.close();
  expect(router.counts.dlq).toBeGreaterThan(20);
  expect(router.counts.windows).toBeGreaterThan(100);
}

beforeAll(async () => {
  sut = await loadSutFile(join(here, 'sut.ts'));
  scenario = (await loadScenarios([join(here, 'scenarios', '01-steady-baseline.ts')]))[0]!;
  dir = await mkdtemp(join(tmpdir(), 'payments-example-'));
  await historyOfTheApp(join(dir, 'history.duckdb'));
  const reader = await HistoryReader.open(join(dir, 'history.duckdb'));
  try {
    const checked = await runCheckers(scenario.checkers.map(checkerByName), reader, checkerParamsFor(sut));
    results = new Map(checked.map((r) => [r.checker, r]));
  } finally {
    await reader.close();
  }
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the payments SUT file', () => {
  it('loads, names every output with a role, and its oracle and field SQL bind to the scenario workload (what `run` checks before a lab)', async () => {
    expect(sut.topics.outputs.map((o) => [o.name, o.role])).toEqual([
      ['payments.clean.v1', 'records'], ['payments.merchant-totals.v1', 'aggregate'], ['payments.dlq.v1', 'dlq'], ['payments.late.v1', 'late'],
    ]);
    checkScenarioTopics(scenario, sut);
    await checkOracleBinding(sut, 'examples/payments/sut.ts', oracleSamples(scenario, 1));
  });

  it.each(['lost', 'duplicates', 'order', 'conservation', 'aggregates', 'late', 'pii', 'fields'])('%s holds for what the app writes', (name) => {
    const result = results.get(name)!;
    expect(result.valid, `${name}: ${result.summary} ${JSON.stringify(result.examples)}`).toBe(true);
    expect(result.skipped).toBeUndefined();
  });

  it('judges every merchant window exactly, none in doubt or missing', () => {
    const { counts, summary } = results.get('aggregates')!;
    expect(counts.keys, summary).toBeGreaterThan(100);
    expect(counts.exactKeys, summary).toBe(counts.keys);
    expect(counts.wrong).toBe(0);
    expect(counts.missing).toBe(0);
    expect(counts.notYetClosed).toBe(0);
  });

  it('compares every clean record field by field, card.pan_last4 with the SQL of the field map', () => {
    const { counts, summary } = results.get('fields')!;
    expect(counts.compared, summary).toBeGreaterThan(3000);
    expect(summary).not.toMatch(/missing|changed|unexpected|kept/);
  });
});
