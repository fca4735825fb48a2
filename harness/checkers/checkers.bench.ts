/**
 * `node bin/run-ts.js harness/checkers/checkers.bench.ts [sends]`: builds a synthetic history
 * (default 100k sends on 4 partitions; bronze, output, records-live, late, DLQ and gold records,
 * about 300k observed rows) in a temp dir, then times every checker and the metrics module.
 * `LEAK=1` publishes raw input values (every output leaks PII), to time the checkers when they fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import type { SendInput } from '../history/history-rows.ts';
import { CHECKER_NAMES, checkerByName } from './registry.ts';
import { computeMetrics } from './metrics.ts';
import { defineSut } from '../sut/sut-config.ts';
import type { CheckerParams } from './checker-params.ts';
import { orderEvent, silverValue, SyntheticHistory, T0_MS, T0_US } from './testing/synthetic-history.ts';

const SENDS = Number(process.argv[2] ?? 100_000);
const PARTITIONS = 4;
const W = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'streamproof-checkers-bench-'));
const path = join(dir, 'history.duckdb');
/** A pipeline shaped like the reference: records, per-partition windows, DLQ, late topic, bronze. */
const declared = defineSut({
  name: 'bench',
  command: ['true'],
  topics: {
    input: [{ name: 'orders', partitions: PARTITIONS }],
    outputs: [
      { name: 'silver', role: 'records' },
      {
        name: 'aggregate', role: 'aggregate', aggregate: {
          keys: ['partition', 'window_start_ms', 'region'], values: ['event_count', 'order_count', 'revenue_cents'],
          window: { startColumn: 'window_start_ms', sizeMs: W, graceMs: 30_000, watermark: 'per-partition-min' },
          oracle: `SELECT sp_partition AS partition, sp_window_start(sp_event_time_ms, ${W}) AS window_start_ms, region, count(*) AS event_count,
            count(*) FILTER (WHERE event_type = 'order_placed') AS order_count,
            coalesce(sum(round(amount * 100)) FILTER (WHERE event_type = 'order_paid'), 0) AS revenue_cents FROM inputs GROUP BY ALL`,
        },
      },
      { name: 'dlq', role: 'dlq' }, { name: 'late', role: 'late' }, { name: 'bronze', role: 'bronze' },
    ],
  },
  promises: { perKeyOrder: true, exactlyOnce: true, late: 'topic' },
});
const params: CheckerParams = { declared, perKeyOrder: true, exactlyOnce: true, piiFields: ['customer.email', 'customer.card_last4'] };

let t = Date.now();
const writer = await HistoryWriter.open(path);
const offsets = new Array<number>(PARTITIONS).fill(0);
const outOffsets = new Array<number>(PARTITIONS).fill(0);
const windows = new Map<string, { ec: number; oc: number; rc: number }>();
let observed = 0;
for (let i = 0; i < SENDS; i++) {
  const customer = i % 1000;
  const key = `cust-${String(customer).padStart(6, '0')}`;
  const partition = customer % PARTITIONS;
  const poison = i % 50 === 7;
  const late = i % 100 === 13;
  const eventTimeMs = T0_MS + i * 10 - (late ? 120_000 : 0);
  const type = i % 3 === 0 ? 'order_paid' : 'order_placed';
  const event = orderEvent({ event_id: `ev-${i}`, key, event_time_ms: eventTimeMs, event_type: type, amount: (i % 997) / 4,
    email: `first${customer}.last${customer % 37}@example${customer % 7}.com`, card_last4: String(customer * 7 % 10000).padStart(4, '0') });
  const value = Buffer.from(poison ? JSON.stringify(event).slice(0, 40) : JSON.stringify(event));
  const send: SendInput = {
    sendId: i, eventId: `ev-${i}`, key, topic: 'orders', partition, offset: offsets[partition]!++, outcome: 'ok',
    invokeUs: T0_US + i * 100, completeUs: T0_US + i * 100 + 2_000, value, truth: poison ? 'poison' : late ? 'late' : 'valid', eventTimeMs,
  };
  writer.recordSend(send);
  const headers = SyntheticHistory.provenance(send);
  writer.recordObserved({ role: 'input', topic: 'orders', partition, offset: send.offset!, key, value, headers: { 'sp-event-id': send.eventId }, observedUs: T0_US + 1e9 });
  writer.recordObserved({ role: 'bronze', topic: 'bronze', partition, offset: send.offset!, key, value, headers, observedUs: T0_US + 1e9 });
  observed++;
  if (poison) {
    writer.recordObserved({ role: 'dlq', topic: 'dlq', partition, offset: i, key, value, headers: { ...headers, 'sp-dlq-reason': 'malformed-json' }, observedUs: T0_US + 1e9 });
  } else if (late) {
    writer.recordObserved({ role: 'late', topic: 'late', partition, offset: i, key, value: silverValue(value), headers, observedUs: T0_US + 1e9 });
  } else {
    const offset = outOffsets[partition]!++;
    const silver = process.env.LEAK ? value : silverValue(value);
    writer.recordObserved({ role: 'records', topic: 'silver', partition, offset, key, value: silver, headers, observedUs: T0_US + 1e9, kafkaTsMs: Math.floor((send.invokeUs + 40_000) / 1000) });
    writer.recordObserved({ role: 'records-live', topic: 'silver', partition, offset, key, value: silver, headers, observedUs: send.invokeUs + 50_000 });
    observed += 2;
    const wk = `${partition}|${Math.floor(eventTimeMs / W) * W}|eu-west`;
    const agg = windows.get(wk) ?? { ec: 0, oc: 0, rc: 0 };
    agg.ec++;
    if (type === 'order_placed') agg.oc++;
    else agg.rc += Math.round(((i % 997) / 4) * 100);
    windows.set(wk, agg);
  }
  if (i % 20_000 === 0) await writer.flush();
}
let goldOffset = 0;
for (const [wk, agg] of windows) {
  const [p, w, r] = wk.split('|');
  const value = { partition: Number(p), window_start_ms: Number(w), window_end_ms: Number(w) + W, region: r, event_count: agg.ec, order_count: agg.oc, revenue_cents: agg.rc };
  writer.recordObserved({ role: 'aggregate', topic: 'aggregate', partition: Number(p), offset: goldOffset++, key: wk, value: Buffer.from(JSON.stringify(value)), observedUs: T0_US + 1e9 });
  observed++;
}
await writer.recordPhase({ name: 'steady', startUs: T0_US, endUs: T0_US + SENDS * 100 });
await writer.close();
console.log(`wrote ${SENDS} sends and ${observed} observed rows in ${Date.now() - t} ms`);

const reader = await HistoryReader.open(path);
try {
  for (const name of CHECKER_NAMES) {
    t = Date.now();
    const result = await checkerByName(name).check(reader, params);
    console.log(`${name.padEnd(14)} ${String(Date.now() - t).padStart(6)} ms  ${String(result.valid).padEnd(7)} ${result.summary}`);
  }
  t = Date.now();
  const metrics = await computeMetrics(reader);
  console.log(`${'metrics'.padEnd(14)} ${String(Date.now() - t).padStart(6)} ms  p99 ${metrics.overall.latency?.p99Ms} ms over ${metrics.overall.latency?.samples} samples`);
} finally {
  reader.close();
  rmSync(dir, { recursive: true, force: true });
}
