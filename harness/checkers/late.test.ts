import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineSut, type LatePromise } from '../sut/sut-config.ts';
import { lateChecker } from './late.ts';
import { SyntheticHistory, T0_MS, T0_US, withReader } from './testing/synthetic-history.ts';

/** A Flink-like job: per-region 10 s windows, per-partition-min watermark, 5 s allowed lateness, late side output. */
function flinkLike(late: LatePromise) {
  return defineSut({
    name: 'flink-like',
    command: ['true'],
    topics: {
      input: [{ name: 'orders', partitions: 1 }],
      outputs: [
        { name: 'records', role: 'records' },
        { name: 'late-events', role: 'late' },
        {
          name: 'sums', role: 'aggregate', aggregate: {
            keys: ['region', 'ws'], values: ['n'],
            window: { startColumn: 'ws', sizeMs: 10_000, graceMs: 5_000, watermark: 'per-partition-min' },
            oracle: 'SELECT region, sp_window_start(sp_event_time_ms, 10000) AS ws, count(*) AS n FROM inputs GROUP BY ALL',
          },
        },
      ],
    },
    promises: { late },
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Events 1 s apart in event time, sent 100 ms apart, each seen 20 ms later; then one event 60 s behind. */
function history(routeLate: boolean, routeOnTime = false) {
  const h = new SyntheticHistory(10_000);
  const sends = Array.from({ length: 40 }, (_, i) => h.send({ eventId: `e${i}`, invokeUs: T0_US + i * 100_000, eventTimeMs: T0_MS + 60_000 + i * 1000 }));
  const late = h.send({ eventId: 'old', invokeUs: T0_US + 5_000_000, eventTimeMs: T0_MS + 1_000, truth: 'late' });
  for (const s of [...sends, late]) h.input(s);
  for (const s of sends) {
    if (routeOnTime && s.eventId === 'e39') h.late(s, { topic: 'late-events' });
    else h.output(s, { observedUs: s.invokeUs + 20_000 }, 'records-live');
  }
  if (routeLate) h.late(late, { topic: 'late-events', observedUs: late.invokeUs + 20_000 });
  return h;
}

async function judge(h: SyntheticHistory, late: LatePromise) {
  const dir = mkdtempSync(join(tmpdir(), 'late-'));
  dirs.push(dir);
  return withReader(await h.write(dir), (r) => lateChecker.check(r, { declared: flinkLike(late) }));
}

describe('late', () => {
  it("'topic': passes when the certainly-late event is in the late topic", async () => {
    const r = await judge(history(true), 'topic');
    expect(r.valid, r.summary).toBe(true);
    expect(r.counts).toMatchObject({ eventsLate: 1, inLateTopic: 1, wronglyLate: 0 });
  });

  it("'topic': fails a certainly-late event the SUT dropped silently", async () => {
    const r = await judge(history(false), 'topic');
    expect(r.valid).toBe(false);
    expect(r.examples[0]).toMatchObject({ problem: 'late, not routed', event_id: 'old' });
  });

  it("'topic': fails an on-time event routed as late", async () => {
    const r = await judge(history(true, true), 'topic');
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/1 certainly-on-time events in the late topic/);
  });

  it('a metric: its count must lie within what the inputs allow', async () => {
    const within = history(false);
    within.metrics.push({ tsUs: T0_US + 9e6, name: 'sut.late_records_total', labels: { instance: '0' }, value: 1 });
    expect((await judge(within, { metric: 'late_records_total' })).valid).toBe(true);
    const under = history(false);
    under.metrics.push({ tsUs: T0_US + 9e6, name: 'sut.late_records_total', labels: { instance: '0' }, value: 0 });
    expect((await judge(under, { metric: 'late_records_total' })).valid).toBe(false);
    expect((await judge(history(false), { metric: 'late_records_total' })).valid).toBe('unknown');
  });

  it("'dropped' and no promise are skipped, with the reason", async () => {
    const r = await judge(history(false), 'dropped');
    expect(r.skipped).toMatch(/judged by `aggregates`/);
  });
});
