/**
 * `npm run bench:checkers -- [sends...]`: for each size (default 1M and 10M sends on 4
 * partitions; bronze, output, records-live, late, DLQ and gold records, about 3 observed rows
 * per send) builds a synthetic history, then times every checker and the metrics module, and
 * prints events judged per second. `LEAK=1` publishes raw input values (every output leaks
 * PII), to time the checkers when they fail. `KEEP=dir` keeps the histories there and reuses
 * one already built (building 10M takes minutes; judging is what is measured). `PROFILE=1`,
 * `PROFILE_SQL=file` and `ONLY=a,b` show where the time goes (below). Judging takes the
 * memory limit a run's does (harness/history/judge-memory.ts; `STREAMPROOF_JUDGE_MEMORY=6GB`
 * sets it, a stand-in for a run several times larger); the last line gives it and the
 * process's peak resident memory.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryReader } from '../harness/history/history-reader.ts';
import { HistoryWriter } from '../harness/history/history-writer.ts';
import type { SendInput } from '../harness/history/history-rows.ts';
import { CHECKER_NAMES, checkerByName } from '../harness/checkers/registry.ts';
import { computeMetrics } from '../harness/checkers/metrics.ts';
import { createInputsView } from '../harness/checkers/inputs-view.ts';
import { defineSut } from '../harness/sut/sut-config.ts';
import type { CheckerParams } from '../harness/checkers/checker-params.ts';
import { orderEvent, silverValue, SyntheticHistory, T0_MS, T0_US } from '../harness/checkers/testing/synthetic-history.ts';

const SIZES = process.argv.slice(2).length > 0 ? process.argv.slice(2).map(Number) : [1_000_000, 10_000_000];
const PARTITIONS = 4;
const W = 60_000;
/** PLANT=1: every 10,000th event's silver copy leaks its email, every 20,000th is written twice, every 50,000th is lost. */
const PLANT = process.env.PLANT === '1';
const KEEP = process.env.KEEP;
/** PROFILE=1: also print every query of the judgement that took 100 ms or more (where the time goes); PROFILE_SQL=file: append the whole SQL of those over 1 s there (to EXPLAIN ANALYZE them). */
const PROFILE = process.env.PROFILE === '1';
const PROFILE_SQL = process.env.PROFILE_SQL;
/** ONLY=pii,fields: time those checkers only (and `metrics` when named); the total is then theirs. */
const ONLY = process.env.ONLY?.split(',');
const timedNames = ONLY ? CHECKER_NAMES.filter((n) => ONLY.includes(n)) : CHECKER_NAMES;
const withMetrics = !ONLY || ONLY.includes('metrics');
/** A pipeline shaped like the reference: records, per-partition windows, DLQ, late topic, bronze. */
const declared = defineSut({
  name: 'bench',
  command: ['true'],
  topics: {
    input: [{ name: 'orders', partitions: PARTITIONS }],
    outputs: [
      // silver masks the customer: its email becomes a token, the card is dropped (what fields and null-inflation judge)
      { name: 'silver', role: 'records', fields: { '*': 'carried', 'customer.email': 'dropped', 'customer.card_last4': 'dropped', 'customer.email_token': 'added' } },
      {
        name: 'aggregate', role: 'aggregate', aggregate: {
          keys: ['partition', 'window_start_ms', 'region'], values: ['event_count', 'order_count', 'revenue_cents'],
          window: { startColumn: 'window_start_ms', sizeMs: W, graceMs: 30_000, watermark: 'per-partition-min' },
          oracle: `SELECT sp_partition AS partition, sp_window_start(sp_event_time_ms, ${W}) AS window_start_ms, region, count(*) AS event_count,
            count(*) FILTER (WHERE event_type = 'order_placed') AS order_count,
            coalesce(sum(round(amount * 100)) FILTER (WHERE event_type = 'order_paid'), 0) AS revenue_cents FROM inputs GROUP BY ALL`,
        },
      },
      { name: 'dlq', role: 'dlq', keepsOriginalPayload: true }, { name: 'late', role: 'late' }, { name: 'bronze', role: 'bronze', keepsOriginalPayload: true },
    ],
  },
  promises: { perKeyOrder: true, exactlyOnce: true, late: 'topic' },
});
const params: CheckerParams = { declared, perKeyOrder: true, exactlyOnce: true, piiFields: ['customer.email', 'customer.card_last4'] };


/** Writes a history of `sends` events as a pipeline shaped like the reference would leave it. */
async function build(path: string, sends: number): Promise<void> {
  const t = Date.now();
  const writer = await HistoryWriter.open(path);
  const offsets = new Array<number>(PARTITIONS).fill(0);
  const outOffsets = new Array<number>(PARTITIONS).fill(0);
  const windows = new Map<string, { ec: number; oc: number; rc: number }>();
  let observed = 0;
  for (let i = 0; i < sends; i++) {
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
    observed += 2;
    const planted = PLANT && !poison && !late && i % 10_000 === 1;
    if (poison) {
      writer.recordObserved({ role: 'dlq', topic: 'dlq', partition, offset: i, key, value, headers: { ...headers, 'sp-dlq-reason': 'malformed-json' }, observedUs: T0_US + 1e9 });
      observed++;
    } else if (late) {
      writer.recordObserved({ role: 'late', topic: 'late', partition, offset: i, key, value: silverValue(value), headers, observedUs: T0_US + 1e9 });
      observed++;
    } else {
      const copies = planted && i % 50_000 === 1 ? 0 : planted && i % 20_000 === 1 ? 2 : 1;
      const silver = process.env.LEAK || (planted && copies === 1) ? value : silverValue(value);
      for (let c = 0; c < copies; c++) {
        const offset = outOffsets[partition]!++;
        writer.recordObserved({ role: 'records', topic: 'silver', partition, offset, key, value: silver, headers, observedUs: T0_US + 1e9, kafkaTsMs: Math.floor((send.invokeUs + 40_000) / 1000) });
        writer.recordObserved({ role: 'records-live', topic: 'silver', partition, offset, key, value: silver, headers, observedUs: send.invokeUs + 50_000 });
        observed += 2;
      }
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
  await writer.recordPhase({ name: 'steady', startUs: T0_US, endUs: T0_US + sends * 100 });
  await writer.close();
  console.log(`wrote ${sends.toLocaleString('en')} sends and ${observed.toLocaleString('en')} observed rows in ${Date.now() - t} ms`);
}

/** Times every checker (one reader, as a run's judgement shares it) and the metrics; returns the total ms. */
async function judge(path: string, sends: number): Promise<void> {
  const reader = await HistoryReader.open(path);
  await reader.forJudging(); // as checkHistory does
  const [limit] = await reader.query<{ l: string }>("SELECT current_setting('memory_limit') AS l");
  if (PROFILE) {
    const query = reader.query.bind(reader);
    reader.query = (async (sql: string, params?: Parameters<typeof query>[1]) => {
      const t = Date.now();
      try {
        return await query(sql, params);
      } finally {
        const ms = Date.now() - t;
        if (ms >= 1000 && PROFILE_SQL) appendFileSync(PROFILE_SQL, `-- ${ms} ms\n${sql};\n`);
        if (ms >= 100) console.log(`${' '.repeat(14)} query ${String(ms).padStart(6)} ms  ${sql.replace(/\s+/g, ' ').trim().slice(0, 150)}`);
      }
    }) as typeof reader.query;
  }
  let total = 0;
  let totalCpu = 0;
  // Wall time is the figure; process CPU (every DuckDB thread) shows the work when the machine is shared.
  const timed = async <T>(label: string, work: () => Promise<T>, line: (r: T) => string) => {
    const t = Date.now();
    const cpu = process.cpuUsage();
    const result = await work();
    const ms = Date.now() - t;
    const used = process.cpuUsage(cpu);
    const cpuMs = Math.round((used.user + used.system) / 1000);
    total += ms;
    totalCpu += cpuMs;
    console.log(`${label.padEnd(14)} ${String(ms).padStart(6)} ms ${String(cpuMs).padStart(6)} ms CPU  ${line(result)}`);
  };
  try {
    // Shared by the checkers that read inputs (built by the first one otherwise): timed on its own.
    await timed('inputs view', () => createInputsView(reader), (n) => `${n} input events`);
    for (const name of timedNames) {
      await timed(name, () => checkerByName(name).check(reader, params), (r) => {
        const example = r.examples[0] === undefined ? '' : `\n${' '.repeat(24)}e.g. ${JSON.stringify(r.examples[0]).slice(0, 160)}`;
        return `${String(r.valid).padEnd(7)} ${r.summary.slice(0, 200)}${example}`;
      });
    }
    if (withMetrics) await timed('metrics', () => computeMetrics(reader), (m) => `p99 ${m.overall.latency?.p99Ms} ms over ${m.overall.latency?.samples} samples`);
  } finally {
    reader.close();
  }
  console.log(`${sends.toLocaleString('en')} events judged by ${timedNames.length} checkers${withMetrics ? ' and metrics' : ''} in ${(total / 1000).toFixed(1)} s (${(totalCpu / 1000).toFixed(1)} s CPU): ${Math.round(sends / (total / 1000)).toLocaleString('en')} events/s${PLANT ? ' (planted leak, duplicates, losses)' : ''}; peak resident memory ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(1)} GiB (DuckDB limit ${limit!.l})`);
}

const dir = KEEP ?? mkdtempSync(join(tmpdir(), 'streamproof-checkers-bench-'));
mkdirSync(dir, { recursive: true });
try {
  for (const sends of SIZES) {
    const path = join(dir, `history-${sends}${PLANT ? '-planted' : ''}${process.env.LEAK ? '-leak' : ''}.duckdb`);
    if (!existsSync(path)) await build(path, sends);
    else console.log(`reusing ${path}`);
    await judge(path, sends);
  }
} finally {
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
}
