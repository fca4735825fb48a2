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


/** Event i of the synthetic run: its send and what the pipeline made of it (same for every pass over the events). */
function eventAt(i: number) {
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
  const planted = PLANT && !poison && !late && i % 10_000 === 1;
  // Silver copies: none for a planted loss, two for a planted duplicate; a planted leak keeps the raw value.
  const copies = poison || late ? 0 : planted && i % 50_000 === 1 ? 0 : planted && i % 20_000 === 1 ? 2 : 1;
  const silver = copies === 0 || process.env.LEAK || (planted && copies === 1) ? value : silverValue(value);
  return { key, partition, poison, late, eventTimeMs, type, value, copies, silver };
}

/**
 * Writes a history of `sends` events as a pipeline shaped like the reference would leave it, in
 * the order a run writes it: during the run each send and the live sighting of its output; after
 * it, the final scan, topic by topic (harness/run/run-observer.ts). So the rows of one role sit
 * together as in a real history, and a role's scan can skip the others' row groups.
 */
async function build(path: string, sends: number): Promise<void> {
  const t = Date.now();
  const writer = await HistoryWriter.open(path);
  const windows = new Map<string, { ec: number; oc: number; rc: number }>();
  let observed = 0;
  const record = async (row: Parameters<HistoryWriter['recordObserved']>[0]) => {
    writer.recordObserved(row);
    observed++;
    if (observed % 20_000 === 0) await writer.flush();
  };
  /** Each pass over the events numbers the input and silver records alike (per-partition offsets in event order). */
  async function pass(each: (i: number, e: ReturnType<typeof eventAt>, send: SendInput, silverOffsets: number[]) => Promise<void>): Promise<void> {
    const offsets = new Array<number>(PARTITIONS).fill(0);
    const outOffsets = new Array<number>(PARTITIONS).fill(0);
    for (let i = 0; i < sends; i++) {
      const e = eventAt(i);
      const send: SendInput = {
        sendId: i, eventId: `ev-${i}`, key: e.key, topic: 'orders', partition: e.partition, offset: offsets[e.partition]!++, outcome: 'ok',
        invokeUs: T0_US + i * 100, completeUs: T0_US + i * 100 + 2_000, value: e.value, truth: e.poison ? 'poison' : e.late ? 'late' : 'valid', eventTimeMs: e.eventTimeMs,
      };
      const silverOffsets = Array.from({ length: e.copies }, () => outOffsets[e.partition]!++);
      await each(i, e, send, silverOffsets);
    }
  }
  // The run: sends, and each silver record seen live 50 ms after its send.
  await pass(async (i, e, send, silverOffsets) => {
    writer.recordSend(send);
    for (const offset of silverOffsets) {
      await record({ role: 'records-live', topic: 'silver', partition: e.partition, offset, key: e.key, value: e.silver, headers: SyntheticHistory.provenance(send), observedUs: send.invokeUs + 50_000 });
    }
    if (!e.poison && !e.late) {
      const wk = `${e.partition}|${Math.floor(e.eventTimeMs / W) * W}|eu-west`;
      const agg = windows.get(wk) ?? { ec: 0, oc: 0, rc: 0 };
      agg.ec++;
      if (e.type === 'order_placed') agg.oc++;
      else agg.rc += Math.round(((i % 997) / 4) * 100);
      windows.set(wk, agg);
    }
    if (i % 20_000 === 0) await writer.flush();
  });
  // The final scan, topic by topic: the input read back, then the outputs in the order the SUT declares them.
  const scanned = { observedUs: T0_US + 1e9 };
  await pass((_, e, send) => record({ role: 'input', topic: 'orders', partition: e.partition, offset: send.offset!, key: e.key, value: e.value, headers: { 'sp-event-id': send.eventId }, ...scanned }));
  await pass(async (_, e, send, silverOffsets) => {
    for (const offset of silverOffsets) {
      await record({ role: 'records', topic: 'silver', partition: e.partition, offset, key: e.key, value: e.silver, headers: SyntheticHistory.provenance(send), ...scanned, kafkaTsMs: Math.floor((send.invokeUs + 40_000) / 1000) });
    }
  });
  let goldOffset = 0;
  for (const [wk, agg] of windows) {
    const [p, w, r] = wk.split('|');
    const value = { partition: Number(p), window_start_ms: Number(w), window_end_ms: Number(w) + W, region: r, event_count: agg.ec, order_count: agg.oc, revenue_cents: agg.rc };
    await record({ role: 'aggregate', topic: 'aggregate', partition: Number(p), offset: goldOffset++, key: wk, value: Buffer.from(JSON.stringify(value)), ...scanned });
  }
  await pass(async (i, e, send) => {
    if (e.poison) await record({ role: 'dlq', topic: 'dlq', partition: e.partition, offset: i, key: e.key, value: e.value, headers: { ...SyntheticHistory.provenance(send), 'sp-dlq-reason': 'malformed-json' }, ...scanned });
  });
  await pass(async (i, e, send) => {
    if (e.late) await record({ role: 'late', topic: 'late', partition: e.partition, offset: i, key: e.key, value: silverValue(e.value), headers: SyntheticHistory.provenance(send), ...scanned });
  });
  await pass((_, e, send) => record({ role: 'bronze', topic: 'bronze', partition: e.partition, offset: send.offset!, key: e.key, value: e.value, headers: SyntheticHistory.provenance(send), ...scanned }));
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
    // `-run-order`: laid out as a run writes it (build); a history kept from before that is not reused.
    const path = join(dir, `history-${sends}${PLANT ? '-planted' : ''}${process.env.LEAK ? '-leak' : ''}-run-order.duckdb`);
    if (!existsSync(path)) await build(path, sends);
    else console.log(`reusing ${path}`);
    await judge(path, sends);
  }
} finally {
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
}
