import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { defineSut } from '../sut/sut-config.ts';
import { DRILL_META_KEY, replayDrillCheck } from './replay-drill.ts';

/** A SUT (not the reference) with one records and one aggregate output. */
const declared = defineSut({
  name: 'counts',
  command: ['true'],
  topics: {
    input: [{ name: 'in', partitions: 1 }],
    outputs: [
      { name: 'records', role: 'records' },
      { name: 'aggregate', role: 'aggregate', aggregate: { keys: ['region', 'window_start_ms'], values: ['event_count'], oracle: 'SELECT 1 AS region, 2 AS window_start_ms, 3 AS event_count' } },
    ],
  },
});
const pairs = [{ original: 'records', rebuilt: 'replay-records' }, { original: 'aggregate', rebuilt: 'replay-aggregate' }];

interface Rec { role: string; eventId?: string; gold?: { partition: number; window_start_ms: number; region: string; event_count: number } }

async function historyWith(records: Rec[], meta: unknown): Promise<HistoryReader> {
  const path = join(mkdtempSync(join(tmpdir(), 'sp-drill-')), 'history.duckdb');
  const writer = await HistoryWriter.open(path);
  records.forEach((r, i) => {
    const value = r.gold ? { ...r.gold, window_end_ms: r.gold.window_start_ms + 60_000, order_count: 1, revenue_cents: 100 } : { event_id: r.eventId };
    writer.recordObserved({ role: r.role, topic: r.role, partition: 0, offset: i, value: Buffer.from(JSON.stringify(value)), headers: r.eventId ? { 'sp-event-id': r.eventId } : null, observedUs: 1 });
  });
  if (meta !== undefined) await writer.setMeta(DRILL_META_KEY, meta);
  await writer.close();
  return HistoryReader.open(path);
}

const g = (n: number) => ({ partition: 0, window_start_ms: 0, region: 'eu', event_count: n });

describe('replayDrillCheck', () => {
  it('passes when records and aggregates are rebuilt the same', async () => {
    const h = await historyWith([{ role: 'records', eventId: 'a' }, { role: 'records', eventId: 'b' }, { role: 'replay-records', eventId: 'b' }, { role: 'replay-records', eventId: 'a' }, { role: 'aggregate', gold: g(2) }, { role: 'replay-aggregate', gold: g(2) }], { ran: true, drained: true, pairs });
    const r = await replayDrillCheck(h, declared);
    h.close();
    expect(r.valid).toBe(true);
    expect(r.counts).toMatchObject({ recordsOriginal: 2, recordsRebuilt: 2, aggregateCompared: 1, aggregateMismatched: 0 });
  });

  it('fails on a missing event or a different window', async () => {
    const h = await historyWith([{ role: 'records', eventId: 'a' }, { role: 'records', eventId: 'b' }, { role: 'replay-records', eventId: 'a' }, { role: 'aggregate', gold: g(2) }, { role: 'replay-aggregate', gold: g(1) }], { ran: true, drained: true, pairs });
    const r = await replayDrillCheck(h, declared);
    h.close();
    expect(r.valid).toBe(false);
    expect(r.counts).toMatchObject({ recordsMissing: 1, aggregateMismatched: 1 });
  });

  it('is unknown when the drill did not run', async () => {
    const h = await historyWith([{ role: 'records', eventId: 'a' }], undefined);
    const r = await replayDrillCheck(h, declared);
    h.close();
    expect(r.valid).toBe('unknown');
  });
});
