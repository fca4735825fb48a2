import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { duplicatesChecker } from '../checkers/duplicates.ts';
import { SyntheticHistory, T0_MS, withReader } from '../checkers/testing/synthetic-history.ts';
import { defineSut } from '../sut/sut-config.ts';
import { DR_OFFSET_BASE, STATE_LOSS_META_KEY } from './drill-meta.ts';
import { RebuildMarker, stateLossCheck, type StateLossMeta } from './state-loss.ts';

const tempDir = useTempDir();
const gold = { keys: ['partition', 'window_start_ms', 'region'], values: ['event_count', 'order_count', 'revenue_cents'], emission: 'final', oracle: 'SELECT 1 AS partition' } as const;
const sut = defineSut({
  name: 'x', command: ['true'],
  topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'records', role: 'records' }, { name: 'aggregate', role: 'aggregate', aggregate: gold }] },
});
const meta: StateLossMeta = { atUs: 0, boundaries: { 'records/0': 3, 'aggregate/0': 1 }, deletedTopics: ['x.state-changelog'], sinkSnapshots: {}, restartedUs: 1 };
const window = { partition: 0, window_start_ms: T0_MS, region: 'eu-west', event_count: 3, order_count: 1, revenue_cents: 100 };

/** Three events output before the loss; the rebuild outputs `rebuilt` of them again and the window with `rebuiltCount` events. */
function history(rebuilt: number[], rebuiltCount = 3) {
  const h = new SyntheticHistory();
  h.meta[STATE_LOSS_META_KEY] = meta;
  const sends = ['a', 'b', 'c'].map((eventId) => h.send({ eventId }));
  sends.forEach((s) => h.input(s));
  sends.forEach((s) => h.output(s));
  h.gold(window);
  rebuilt.forEach((i, n) => h.output(sends[i]!, { offset: DR_OFFSET_BASE + 3 + n }));
  h.gold({ ...window, event_count: rebuiltCount }, { offset: DR_OFFSET_BASE + 1 });
  return h;
}

const judge = async (h: SyntheticHistory) => withReader(await h.write(tempDir()), async (r) => ({ check: await stateLossCheck(r, sut), duplicates: await duplicatesChecker.check(r, { declared: sut, exactlyOnce: true }) }));

describe('state-loss drill', () => {
  it('passes when the rebuild re-emits every event and window as before, and explains the second copy to duplicates', async () => {
    const { check, duplicates } = await judge(history([0, 1, 2]));
    expect(check).toMatchObject({ valid: true, counts: { recordsBefore: 3, recordsMissing: 0, aggregateKeysBefore: 1, aggregateKeysDiffer: 0 } });
    expect(duplicates.valid).toBe(true);
    expect(duplicates.counts['records+late: in both copies (explained)']).toBe(3);
  });

  it('fails on an event the rebuild lost and on a window it computed differently', async () => {
    const { check } = await judge(history([0, 1], 2));
    expect(check.valid).toBe(false);
    expect(check.counts).toMatchObject({ recordsMissing: 1, aggregateKeysDiffer: 1 });
    expect(check.examples).toEqual(expect.arrayContaining([{ event_id: 'c', problem: 'not rebuilt' }]));
  });

  it('marks what the observers record past a boundary, and every sink row once the sink was emptied', async () => {
    const marker = new RebuildMarker();
    const path = `${tempDir()}/h.duckdb`;
    const writer = await HistoryWriter.open(path);
    const at = (topic: string, offset: number) => ({ role: 'records', topic, partition: 0, offset, key: null, value: null, headers: null, observedUs: 1, kafkaTsMs: null });
    const wrapped = marker.wrap(writer);
    wrapped.recordObserved(at('records', 5));
    marker.lost({ 'records/0': 3 });
    wrapped.recordObserved(at('records', 2));
    wrapped.recordObserved(at('records', 3));
    wrapped.recordObserved(at('sink:gold', 0));
    await writer.close();
    const offsets = await withReader(path, (r) => r.query<{ o: number }>('SELECT "offset" AS o FROM observed ORDER BY observed_us, rowid'));
    expect(offsets.map((r) => Number(r.o))).toEqual([5, 2, 3 + DR_OFFSET_BASE, DR_OFFSET_BASE]);
  });
});
