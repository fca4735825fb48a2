import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineSut } from '../sut/sut-config.ts';
import { aggregatesChecker } from './aggregates.ts';
import { SyntheticHistory, T0_MS, T0_US, withReader } from './testing/synthetic-history.ts';

/**
 * A Kafka Streams-like SUT (not the reference): region-keyed 60 s tumbling windows across
 * input partitions, 10 s grace, final emission, stream time per task; counts and revenue.
 */
const W = 60_000;
const sut = defineSut({
  name: 'streams-like',
  command: ['true'],
  topics: {
    input: [{ name: 'orders', partitions: 2 }],
    outputs: [
      { name: 'records', role: 'records' },
      {
        name: 'windows', role: 'aggregate', aggregate: {
          keys: ['region', 'window_start_ms'], values: ['event_count', { name: 'revenue_cents', tolerance: 0 }], emission: 'final',
          window: { startColumn: 'window_start_ms', sizeMs: W, graceMs: 10_000, watermark: 'stream-time-per-task' },
          oracle: `SELECT region, sp_window_start(sp_event_time_ms, ${W}) AS window_start_ms, count(*) AS event_count,
            sum(round(amount * 100)) AS revenue_cents FROM inputs GROUP BY ALL`,
        },
      },
    ],
  },
  promises: { exactlyOnce: true },
});
const params = { declared: sut, exactlyOnce: true };

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Ev { id: string; p: number; t: number; region?: string; amount?: number; sendMs: number }

/** Sends each event at sendMs (invoke time from T0), reads it back from the input, sees its records output 50 ms later. */
function history(events: Ev[]): SyntheticHistory {
  const h = new SyntheticHistory(W);
  [...events].sort((a, b) => a.sendMs - b.sendMs).forEach((e, i) => {
    const send = h.send({ sendId: i, eventId: e.id, partition: e.p, invokeUs: T0_US + e.sendMs * 1000, eventTimeMs: T0_MS + e.t, order: { region: e.region ?? 'eu', amount: e.amount ?? 1 } });
    h.input(send);
    h.output(send, { observedUs: send.invokeUs + 50_000 }, 'records-live');
  });
  return h;
}

function window(h: SyntheticHistory, region: string, startMs: number, count: number, cents: number) {
  return h.observe('aggregate', { topic: 'windows', key: region, value: Buffer.from(JSON.stringify({ region, window_start_ms: T0_MS + startMs, event_count: count, revenue_cents: cents })) });
}

async function judge(h: SyntheticHistory) {
  const dir = mkdtempSync(join(tmpdir(), 'aggregates-'));
  dirs.push(dir);
  return withReader(await h.write(dir), (r) => aggregatesChecker.check(r, params));
}

/** Two windows of 'eu' and one of 'us' over two partitions, in event-time order. */
const base: Ev[] = [
  { id: 'a', p: 0, t: 1_000, sendMs: 0 },
  { id: 'b', p: 1, t: 2_000, sendMs: 100, amount: 2 },
  { id: 'c', p: 0, t: 3_000, sendMs: 200, region: 'us' },
  { id: 'd', p: 1, t: 61_000, sendMs: 300 },
  { id: 'e', p: 0, t: 125_000, sendMs: 400 }, // moves stream time past the first window's close
];
const correct = (h: SyntheticHistory) => {
  window(h, 'eu', 0, 2, 300);
  window(h, 'us', 0, 1, 100);
  window(h, 'eu', 60_000, 1, 100);
};

describe('aggregates', () => {
  it('passes a SUT whose windows equal the oracle', async () => {
    const h = history(base);
    correct(h);
    const r = await judge(h);
    expect(r.valid, r.summary).toBe(true);
    expect(r.counts).toMatchObject({ keys: 3, exactKeys: 3, wrong: 0, missing: 0, extra: 0 });
  });

  it('fails a window emitted twice with different values', async () => {
    const h = history(base);
    correct(h);
    window(h, 'eu', 0, 3, 400); // after a failover, the window again with another value
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/1 keys re-emitted with another value/);
    expect(r.examples).toContainEqual(expect.objectContaining({ problem: 're-emitted with another value' }));
  });

  it('fails a missing key once a later window of the same key proves it closed', async () => {
    const h = history(base);
    window(h, 'eu', 0, 2, 300);
    window(h, 'eu', 60_000, 1, 100);
    // 'us' window 0 absent, but 'us' has no later window: not proven closed under stream time per task
    // (nor is eu's third window, which no SUT could have closed yet).
    const unproven = await judge(h);
    expect(unproven.valid, unproven.summary).toBe(true);
    expect(unproven.counts.notYetClosed).toBe(2);

    const h2 = history([...base, { id: 'f', p: 0, t: 70_000, sendMs: 350, region: 'us' }]);
    window(h2, 'eu', 0, 2, 300);
    window(h2, 'eu', 60_000, 1, 100);
    window(h2, 'us', 60_000, 1, 100); // proves us's stream time passed window 0's close
    const r = await judge(h2);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/1 keys never emitted/);
    expect(r.examples).toContainEqual(expect.objectContaining({ problem: 'missing', key: `us|${T0_MS}.0` }));
  });

  it('fails an extra key', async () => {
    const h = history(base);
    correct(h);
    window(h, 'apac', 0, 1, 100);
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.examples).toContainEqual(expect.objectContaining({ problem: 'extra', key: `apac|${T0_MS}.0` }));
  });

  it('fails a value off by one', async () => {
    const h = history(base);
    window(h, 'eu', 0, 2, 301);
    window(h, 'us', 0, 1, 100);
    window(h, 'eu', 60_000, 1, 100);
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.examples[0]).toMatchObject({ problem: 'too high', got: { event_count: 2, revenue_cents: 301 }, low: { revenue_cents: 300 } });
  });

  it('passes a SUT that counts every input copy but dropped a re-send that arrived after the window closed', async () => {
    // Kafka Streams without dedupe: the oracle counts copies; 'a' is re-sent once stream time passed window 0's end + grace.
    const copies = defineSut({ ...sut, topics: { ...sut.topics, outputs: sut.topics.outputs.map((o) => (o.aggregate ? { ...o, aggregate: { ...o.aggregate,
      oracle: `SELECT region, sp_window_start(sp_event_time_ms, ${W}) AS window_start_ms, sum(sp_copies) AS event_count,
        sum(round(amount * 100) * sp_copies) AS revenue_cents FROM inputs GROUP BY ALL` } } : o)) } });
    const h = history(base);
    const first = h.sends[0]!;
    const resend = h.send({ eventId: 'a', partition: 0, invokeUs: T0_US + 500_000, eventTimeMs: first.eventTimeMs!, value: first.value, truth: 'duplicate' });
    h.input(resend);
    h.output(resend, { observedUs: resend.invokeUs + 50_000 }, 'records-live'); // processed (records output), but too late for its window
    correct(h); // eu window 0 holds 'a' once
    const dir = mkdtempSync(join(tmpdir(), 'aggregates-'));
    dirs.push(dir);
    const r = await withReader(await h.write(dir), (reader) => aggregatesChecker.check(reader, { declared: copies, exactlyOnce: true }));
    expect(r.valid, r.summary).toBe(true);
  });

  // The same late event 'z' (window 0, 140 s behind) and the same SUT output; only the arrival order differs.
  const lateEvent: Ev = { id: 'z', p: 1, t: 5_000, sendMs: 0, amount: 7 };

  it('fails an event dropped as late that the watermark model does not allow (sent before anything newer)', async () => {
    const h = history([{ ...lateEvent, sendMs: 50 }, ...base]);
    correct(h); // 'z' not counted in eu window 0
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.examples[0]).toMatchObject({ problem: 'too low', got: { event_count: 2 }, low: { event_count: 3 } });
  });

  it('passes an event dropped as late that the model allows (sent after newer events were processed)', async () => {
    const h = history([...base, { ...lateEvent, sendMs: 1_000 }]);
    correct(h);
    const r = await judge(h);
    expect(r.valid, r.summary).toBe(true);
    expect(r.counts).toMatchObject({ eventsInDoubt: 1, keysInDoubt: 1 });
    // And counting it anyway is allowed too: the event is in doubt.
    const h2 = history([...base, { ...lateEvent, sendMs: 1_000 }]);
    window(h2, 'eu', 0, 3, 1000);
    window(h2, 'us', 0, 1, 100);
    window(h2, 'eu', 60_000, 1, 100);
    expect((await judge(h2)).valid).toBe(true);
  });

  describe('a Spark-like watermark (largest event time read, minus the delay)', () => {
    const spark = (stage: 'with-records' | 'downstream') => {
      const declared = defineSut({
        ...sut,
        topics: { ...sut.topics, outputs: sut.topics.outputs.map((o) => (o.aggregate ? { ...o, aggregate: { ...o.aggregate, window: { ...o.aggregate.window!, watermark: 'global-max-minus-delay', stage } } } : o)) },
      });
      return { declared, exactlyOnce: true };
    };
    // 'z' (window 0) is sent after 'e' (125 s) was seen processed: T >= 125 s > 0 + 60 s + 10 s.
    const counted = () => {
      const h = history([...base, { ...lateEvent, sendMs: 1_000 }]);
      window(h, 'eu', 0, 3, 1000);
      window(h, 'us', 0, 1, 100);
      window(h, 'eu', 60_000, 1, 100);
      return h;
    };
    const judgeWith = async (h: SyntheticHistory, p: ReturnType<typeof spark>) => {
      const dir = mkdtempSync(join(tmpdir(), 'aggregates-'));
      dirs.push(dir);
      return withReader(await h.write(dir), (r) => aggregatesChecker.check(r, p));
    };

    it('fails counting an event that was certainly late when the aggregate is computed with the records', async () => {
      const r = await judgeWith(counted(), spark('with-records'));
      expect(r.valid).toBe(false);
      expect(r.counts).toMatchObject({ eventsLate: 1 });
      expect(r.examples[0]).toMatchObject({ problem: 'too high', got: { event_count: 3 }, high: { event_count: 2 } });
    });

    it('lets a downstream stage count it (its watermark may lag the records step): in doubt, not late', async () => {
      const r = await judgeWith(counted(), spark('downstream'));
      expect(r.valid, r.summary).toBe(true);
      expect(r.counts).toMatchObject({ eventsLate: 0, eventsInDoubt: 1 });
    });
  });

  it('says unknown, not pass, when nothing was emitted and nothing was proven due', async () => {
    const r = await judge(history(base));
    expect(r.valid).toBe('unknown');
  });

  it('judges the last value per key with updates emission', async () => {
    const updates = defineSut({ ...JSON.parse(JSON.stringify(sut)), topics: { ...sut.topics, outputs: [sut.topics.outputs[0], { ...sut.topics.outputs[1], aggregate: { ...sut.topics.outputs[1]!.aggregate, emission: 'updates' } }] } });
    const h = history(base);
    window(h, 'eu', 0, 1, 100); // an intermediate update
    correct(h);
    window(h, 'eu', 120_000, 1, 100); // updates: every window shows up, closed or not
    const dir = mkdtempSync(join(tmpdir(), 'aggregates-'));
    dirs.push(dir);
    const r = await withReader(await h.write(dir), (reader) => aggregatesChecker.check(reader, { declared: updates, exactlyOnce: true }));
    expect(r.valid, r.summary).toBe(true);
  });

  it('under at-least-once, a crash voids the bounds of events seen before it (they may be processed again, later)', async () => {
    const crashed = (h: SyntheticHistory) => {
      h.faults.push({ faultId: 'c1', type: 'sut.crash', target: 'instance 0', startUs: T0_US + 250_000, healUs: T0_US + 350_000 });
      window(h, 'eu', 0, 1, 100); // 'a' or 'b' counted before the crash was lost with the state, then dropped as late
      window(h, 'us', 0, 1, 100);
      window(h, 'eu', 60_000, 1, 100);
      return h;
    };
    expect((await judge(crashed(history(base)))).valid).toBe(false); // exactly-once: state and offsets roll back together
    const alo = defineSut({ ...JSON.parse(JSON.stringify(sut)), promises: { exactlyOnce: false } });
    const dir = mkdtempSync(join(tmpdir(), 'aggregates-'));
    dirs.push(dir);
    const r = await withReader(await crashed(history(base)).write(dir), (reader) => aggregatesChecker.check(reader, { declared: alo, exactlyOnce: false }));
    expect(r.valid, r.summary).toBe(true);
  });
});
