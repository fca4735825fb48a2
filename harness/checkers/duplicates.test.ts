import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import type { CheckerParams } from './checker-params.ts';
import { duplicatesChecker } from './duplicates.ts';
import { SyntheticHistory, T0_MS, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const run = async (h: SyntheticHistory, params: CheckerParams = {}) =>
  withReader(await h.write(tempDir()), (r) => duplicatesChecker.check(r, params));
const window = { partition: 0, window_start_ms: T0_MS, region: 'eu-west', event_count: 2, order_count: 2, revenue_cents: 0 };

describe('duplicates', () => {
  it('passes when the SUT dedupes a deliberate duplicate', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    h.send({ eventId: 'a', truth: 'duplicate' });
    h.output(a);
    h.late(h.send({ eventId: 'b' }));
    const result = await run(h);
    expect(result).toMatchObject({ valid: true, counts: { eventsSeen: 2, duplicatedEvents: 0 } });
  });

  it('fails when a deliberate duplicate comes out twice, or a poison record is in the DLQ twice', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    const dup = h.send({ eventId: 'a', truth: 'duplicate' });
    h.output(a);
    h.output(dup);
    const p = h.send({ eventId: 'p', truth: 'poison' });
    h.dlq(p);
    h.dlq(p);
    const result = await run(h);
    expect(result.valid).toBe(false);
    expect(result.counts).toMatchObject({ duplicatedEvents: 2, extraCopies: 2 });
    expect(result.examples[0]).toEqual({ event_id: 'a', records: ['records records/0/0', 'records records/0/1'], copies: 2, explained_copies: 0 });
  });

  it('counts an output and a late copy of one event, and distinct records only (a record read twice is one)', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    const first = h.output(a);
    h.observe('records', { ...first, observedUs: first.observedUs + 5 });
    expect((await run(h)).valid).toBe(true);
    h.late(a);
    expect((await run(h)).counts.duplicatedEvents).toBe(1);
  });

  it('explains one extra copy per input re-send by the producer (two ok sends, not truth duplicate)', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    const again = h.send({ eventId: 'a' });
    h.output(a);
    h.output(again);
    const result = await run(h);
    expect(result).toMatchObject({ valid: true, counts: { explainedByInputCopies: 1 } });
    h.output(again);
    expect((await run(h)).valid).toBe(false);
  });

  it('info re-sends: assumed landed without bronze; with bronze, only the copies bronze shows explain', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    const info = h.send({ eventId: 'a', outcome: 'info' });
    h.output(a);
    h.output(info, { headers: { 'sp-event-id': 'a' } });
    expect((await run(h)).valid).toBe(true);
    h.bronze(a);
    expect((await run(h)).valid).toBe(false);
    h.bronze(info, { headers: { 'sp-event-id': 'a', 'sp-source': 'orders/0/7' } });
    expect((await run(h)).valid).toBe(true);
  });

  it('bronze copies of one input at two bronze offsets (same sp-source) explain nothing', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    h.bronze(a);
    h.bronze(a);
    h.output(a);
    h.output(a);
    expect((await run(h)).valid).toBe(false);
  });

  it('gold: different values for one window fail; identical re-emissions fail only under exactly-once', async () => {
    const conflicting = new SyntheticHistory();
    conflicting.gold(window);
    conflicting.gold({ ...window, event_count: 3 });
    const result = await run(conflicting);
    expect(result).toMatchObject({ valid: false, counts: { goldWindows: 1, goldConflicting: 1 } });
    expect(result.examples[0]).toMatchObject({ role: 'aggregate', window: `0|${T0_MS}|eu-west`, records: 2 });

    const identical = new SyntheticHistory();
    identical.gold(window);
    identical.gold(window);
    expect(await run(identical)).toMatchObject({ valid: false, counts: { goldIdenticalRepeats: 1 } });
    expect((await run(identical, { exactlyOnce: false })).valid).toBe(true);
  });

  it('sink: identical rows are idempotent writes; different rows for one window are duplicates', async () => {
    const h = new SyntheticHistory();
    h.gold(window);
    h.gold(window, {}, 'sink');
    h.gold(window, {}, 'sink');
    expect(await run(h)).toMatchObject({ valid: true, counts: { sinkIdenticalRows: 1, sinkConflicting: 0 } });
    h.gold({ ...window, revenue_cents: 5 }, {}, 'sink');
    expect(await run(h)).toMatchObject({ valid: false, counts: { sinkConflicting: 1 } });
  });

  it('is unknown with nothing observed', async () => {
    const h = new SyntheticHistory();
    h.send({ eventId: 'a' });
    expect((await run(h)).valid).toBe('unknown');
  });
});
