import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import type { CheckerParams } from './checker-params.ts';
import { SyntheticHistory, T0_MS, T0_US, withReader } from './testing/synthetic-history.ts';
import { windowsChecker } from './windows.ts';

const tempDir = useTempDir();
const PARAMS: CheckerParams = { windowSizeMs: 60_000, allowedOutOfOrdernessMs: 30_000 };
const run = async (h: SyntheticHistory, params: CheckerParams = {}) =>
  withReader(await h.write(tempDir()), (r) => windowsChecker.check(r, { ...PARAMS, ...params }));

/** Two partitions, windows at T0 (p0 eu-west: placed + paid 10.25; p1 us-east: placed), one open window on p0. */
function base(): SyntheticHistory {
  const h = new SyntheticHistory();
  h.output(h.send({ eventId: 'a', partition: 0, order: { event_time_ms: T0_MS + 1_000 } }));
  h.output(h.send({ eventId: 'b', partition: 0, order: { event_time_ms: T0_MS + 2_000, event_type: 'order_paid', amount: 10.25 } }));
  h.output(h.send({ eventId: 'd', partition: 1, order: { event_time_ms: T0_MS + 5_000, region: 'us-east' } }));
  h.output(h.send({ eventId: 'c', partition: 0, order: { event_time_ms: T0_MS + 61_000 } }));
  h.gold({ partition: 0, window_start_ms: T0_MS, region: 'eu-west', event_count: 2, order_count: 1, revenue_cents: 1025 });
  h.gold({ partition: 1, window_start_ms: T0_MS, region: 'us-east', event_count: 1, order_count: 1, revenue_cents: 0 });
  return h;
}

describe('windows', () => {
  it('passes when each gold window is the aggregate of its on-time events (duplicates and DLQ ignored)', async () => {
    const h = base();
    h.dlq(h.send({ eventId: 'p', partition: 0, truth: 'poison', order: { event_time_ms: T0_MS + 3_000 } }));
    const again = h.send({ eventId: 'a', partition: 0, truth: 'duplicate', order: { event_time_ms: T0_MS + 1_000 } });
    h.output(again); // a second copy of an event counts once
    const result = await run(h);
    expect(result).toMatchObject({ valid: true, counts: { goldWindows: 2, mismatched: 0, missing: 0, onTimeEvents: 4, exactLateness: 0 } });
  });

  it('fails on a wrong aggregate, a window emitted twice with different values, and a missing closed window', async () => {
    const h = base();
    h.output(h.send({ eventId: 'e', partition: 0, order: { event_time_ms: T0_MS + 4_000, region: 'us-west' } }));
    h.gold({ partition: 1, window_start_ms: T0_MS, region: 'us-east', event_count: 2, order_count: 1, revenue_cents: 0 });
    const result = await run(h);
    expect(result.valid).toBe(false);
    expect(result.counts).toMatchObject({ mismatched: 1, conflicting: 1, missing: 1 });
    expect(result.examples).toContainEqual({
      problem: 'mismatch', role: 'gold', window: `1|${T0_MS}|us-east`, record: 'gold/1/1',
      got: { window_end_ms: T0_MS + 60_000, event_count: 2, order_count: 1, revenue_cents: 0 },
      expected: { window_end_ms: T0_MS + 60_000, event_count: 1, order_count: 1, revenue_cents: 0 },
    });
    expect(result.examples).toContainEqual(expect.objectContaining({ problem: 'missing', window: `0|${T0_MS}|us-west`, event_ids: ['e'] }));
  });

  it('accepts a late event that inputs acknowledged before it explain, and rejects one nothing explains', async () => {
    const h = base();
    h.send({ eventId: 'far', partition: 1, order: { event_time_ms: T0_MS + 100_000 } });
    h.late(h.send({ eventId: 'late-ok', partition: 0, truth: 'late', order: { event_time_ms: T0_MS + 1_500 } }));
    expect((await run(h)).valid).toBe(true);

    const g = base();
    g.late(g.send({ eventId: 'late-bad', partition: 0, order: { event_time_ms: T0_MS + 50_000 } }));
    g.send({ eventId: 'later', partition: 1, order: { event_time_ms: T0_MS + 200_000 } });
    const result = await run(g);
    expect(result).toMatchObject({ valid: false, counts: { wronglyLate: 1, lateChecked: 1 } });
    expect(result.examples).toContainEqual({
      problem: 'wrongly late', event_id: 'late-bad', input: '0/3', event_time_ms: T0_MS + 50_000,
      window_end_ms: T0_MS + 60_000, latest_possible_close_ms: T0_MS + 61_000 - 30_000,
    });
  });

  it('relaxes the bound around a fault, and cannot judge a late info send', async () => {
    const h = base();
    const sendsSoFar = h.sends.length;
    h.faults.push({ faultId: 'f1', type: 'broker.pause', target: 'broker-1', startUs: T0_US + sendsSoFar * 1_000 - 10, healUs: T0_US + (sendsSoFar + 5) * 1_000 });
    h.late(h.send({ eventId: 'late-fault', partition: 0, order: { event_time_ms: T0_MS + 50_000 } }));
    h.send({ eventId: 'later', partition: 1, order: { event_time_ms: T0_MS + 200_000 } });
    expect(await run(h)).toMatchObject({ valid: true, counts: { wronglyLate: 0, lateChecked: 1 } });
    expect((await run(h, { faultGraceMs: 0 })).valid).toBe(true); // 'later' was sent before heal
    h.late(h.send({ eventId: 'late-info', partition: 0, outcome: 'info', order: { event_time_ms: T0_MS + 55_000 } }), {
      headers: { 'sp-event-id': 'late-info' },
    });
    expect(await run(h)).toMatchObject({ valid: true, counts: { lateUnverifiable: 1 } });
  });

  it('cannot judge a late event during a fault that never healed; skips late replays of output events when not exactly-once', async () => {
    const h = base();
    h.faults.push({ faultId: 'f-open', type: 'net.isolate', target: 'link-1', startUs: T0_US });
    h.late(h.send({ eventId: 'late-open', partition: 0, order: { event_time_ms: T0_MS + 50_000 } }));
    expect(await run(h)).toMatchObject({ valid: true, counts: { lateUnverifiable: 1, wronglyLate: 0 } });

    const g = base();
    const replayed = g.send({ eventId: 'r', partition: 1, order: { event_time_ms: T0_MS + 50_000, region: 'us-west' } });
    g.output(replayed);
    g.late(replayed);
    g.gold({ partition: 1, window_start_ms: T0_MS, region: 'us-west', event_count: 1, order_count: 1, revenue_cents: 0 });
    expect(await run(g)).toMatchObject({ valid: false, counts: { wronglyLate: 1 } });
    expect(await run(g, { exactlyOnce: false })).toMatchObject({ valid: true, counts: { lateRecords: 1, lateChecked: 0 } });
  });

  it('places an on-time info send by its sp-source partition', async () => {
    const h = base();
    const info = h.send({ eventId: 'i', outcome: 'info', order: { event_time_ms: T0_MS + 7_000, region: 'us-east' } });
    h.output(info, { partition: 1, headers: { 'sp-event-id': 'i', 'sp-source': 'orders/1/9' } });
    expect(await run(h)).toMatchObject({ valid: false, counts: { mismatched: 1 } });
    h.gold({ partition: 1, window_start_ms: T0_MS, region: 'us-east', event_count: 2, order_count: 2, revenue_cents: 0 });
    expect(await run(h)).toMatchObject({ counts: { mismatched: 1, conflicting: 1 } }); // the old emission is still wrong
  });

  it('with one input partition, the bound is the partition order, and on-time events can be checked too', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a', order: { event_time_ms: T0_MS + 1_000 } }));
    h.output(h.send({ eventId: 'b', order: { event_time_ms: T0_MS + 95_000 } }));
    const late = h.send({ eventId: 'late', order: { event_time_ms: T0_MS + 2_000 } });
    h.late(late);
    h.gold({ partition: 0, window_start_ms: T0_MS, region: 'eu-west', event_count: 1, order_count: 1, revenue_cents: 0 });
    expect(await run(h)).toMatchObject({ valid: true, counts: { exactLateness: 1, lateChecked: 1 } });

    const g = new SyntheticHistory();
    g.output(g.send({ eventId: 'a', order: { event_time_ms: T0_MS + 1_000 } }));
    g.late(g.send({ eventId: 'late', order: { event_time_ms: T0_MS + 2_000 } }));
    g.output(g.send({ eventId: 'b', order: { event_time_ms: T0_MS + 95_000 } })); // after it: cannot explain it
    g.output(g.send({ eventId: 'on-time?', order: { event_time_ms: T0_MS + 3_000 } }));
    g.gold({ partition: 0, window_start_ms: T0_MS, region: 'eu-west', event_count: 2, order_count: 2, revenue_cents: 0 });
    expect(await run(g)).toMatchObject({ valid: false, counts: { wronglyLate: 1, missedLate: 0 } });
    const strict = await run(g, { exactLateness: true });
    expect(strict.counts).toMatchObject({ wronglyLate: 1, missedLate: 1 });
    expect(strict.examples).toContainEqual(expect.objectContaining({ problem: 'should have been late', event_id: 'on-time?' }));
  });

  it('checks sink rows against the same aggregate and for completeness', async () => {
    const h = base();
    h.gold({ partition: 0, window_start_ms: T0_MS, region: 'eu-west', event_count: 2, order_count: 1, revenue_cents: 1025 }, {}, 'sink');
    expect(await run(h)).toMatchObject({ valid: false, counts: { sinkRows: 1, sinkMissing: 1 } });
    h.gold({ partition: 1, window_start_ms: T0_MS, region: 'us-east', event_count: 9, order_count: 1, revenue_cents: 0 }, {}, 'sink');
    expect(await run(h)).toMatchObject({ valid: false, counts: { sinkMissing: 0, sinkMismatched: 1 } });
  });

  it('is unknown without window parameters or without gold records', async () => {
    const h = base();
    expect((await withReader(await h.write(tempDir()), (r) => windowsChecker.check(r, {}))).valid).toBe('unknown');
    const g = new SyntheticHistory();
    g.output(g.send({ eventId: 'a' }));
    expect((await run(g)).valid).toBe('unknown');
  });
});
