import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import type { DiffClass, RecordDiff } from './comparison-result.ts';
import { diffRecords, type OutputRecord } from './record-diff.ts';
import { cpuTimeOf } from './testing/cpu-time.ts';

const rec = (key: string, value: unknown, position = 0, eventTimeMs = 1000): OutputRecord => ({ key, value, position, eventTimeMs });
const count = (diff: RecordDiff, c: DiffClass) => diff.classes.find((r) => r.class === c)?.count;
const examples = (diff: RecordDiff, c: DiffClass) => diff.classes.find((r) => r.class === c)?.examples ?? [];
const counts = (diff: RecordDiff) => Object.fromEntries(diff.classes.map((r) => [r.class, r.count]));

describe('diffRecords', () => {
  it('finds no difference between equal outputs, whatever their arrival order', () => {
    const a = [rec('k1', { n: 1 }), rec('k2', { n: 2, nested: { x: 'a' } })];
    const diff = diffRecords(a, [...a].reverse());
    expect(diff.compared).toBe(2);
    expect(counts(diff)).toEqual({ missing: 0, extra: 0, changed: 0, duplicated: 0, 'out-of-order': 0 });
  });

  it('counts missing and extra records exactly and keeps a bounded number of examples', () => {
    const baseline = Array.from({ length: 12 }, (_, i) => rec(`k${i}`, { i }));
    const candidate = [...baseline.slice(0, 4), rec('new', { i: -1 })];
    const diff = diffRecords(baseline, candidate, { maxExamples: 3 });
    expect(count(diff, 'missing')).toBe(8);
    expect(examples(diff, 'missing')).toHaveLength(3);
    expect(examples(diff, 'missing')[0]).toEqual({ key: 'k10', baseline: { i: 10 } }); // keys in sorted order
    expect(examples(diff, 'extra')).toEqual([{ key: 'new', candidate: { i: -1 } }]);
    expect(diff.compared).toBe(4);
  });

  it('reports changed records with the differing fields, numbers within tolerance', () => {
    const baseline = [rec('a', { revenue: 0.1 + 0.2, count: 3, region: 'eu', meta: { p99: 100 } }), rec('b', { revenue: 10, count: 1 })];
    const candidate = [rec('a', { revenue: 0.3, count: 4, region: 'us', meta: { p99: 104 } }), rec('b', { revenue: 10.5, count: 1, added: true })];
    const exact = diffRecords(baseline, candidate);
    expect(count(exact, 'changed')).toBe(2);
    // 0.1 + 0.2 vs 0.3 is within the default relative tolerance; the others are real changes.
    expect(examples(exact, 'changed')[0]?.fields).toEqual(['count', 'meta.p99', 'region']);
    expect(examples(exact, 'changed')[1]?.fields).toEqual(['added', 'revenue']);
    expect(exact.changedFields).toEqual([
      { field: 'added', count: 1 },
      { field: 'count', count: 1 },
      { field: 'meta.p99', count: 1 },
      { field: 'region', count: 1 },
      { field: 'revenue', count: 1 },
    ]);

    const tolerant = diffRecords(baseline, candidate, { fieldTolerances: { meta: { relative: 0.05 }, revenue: { absolute: 0.5 } } });
    expect(examples(tolerant, 'changed').map((e) => e.fields)).toEqual([['count', 'region'], ['added']]);
  });

  it('leaves ignored and noise fields out of the comparison and says so', () => {
    const baseline = [rec('a', { total: 5, processedAt: 1, id: 'x', meta: { host: 'h1' } })];
    const candidate = [rec('a', { total: 5, processedAt: 2, id: 'y', meta: { host: 'h2' } })];
    expect(count(diffRecords(baseline, candidate), 'changed')).toBe(1);
    const diff = diffRecords(baseline, candidate, { ignoreFields: ['meta'], noise: [{ field: 'processedAt', rate: 1 }, { field: 'id', rate: 0.98 }], noiseCompared: 400 });
    expect(count(diff, 'changed')).toBe(0);
    expect(diff).toMatchObject({ ignoredFields: ['meta'], noise: [{ field: 'processedAt', rate: 1 }, { field: 'id', rate: 0.98 }], noiseCompared: 400 });
  });

  it('calls a second equal candidate record a duplicate, and pairs the rest as changed', () => {
    const duplicated = diffRecords([rec('a', { v: 1 })], [rec('a', { v: 1 }, 0), rec('a', { v: 1 }, 1)]);
    expect(counts(duplicated)).toMatchObject({ duplicated: 1, changed: 0, extra: 0 });
    expect(examples(duplicated, 'duplicated')).toEqual([{ key: 'a', candidate: { v: 1 } }]);

    // baseline: w; candidate: v, v → v replaces w (changed) and repeats (duplicated).
    const mixed = diffRecords([rec('a', { v: 0 })], [rec('a', { v: 1 }, 0), rec('a', { v: 1 }, 1)]);
    expect(counts(mixed)).toMatchObject({ duplicated: 1, changed: 1, missing: 0, extra: 0 });

    // a key the baseline updates twice and the candidate only once: one missing update.
    const fewer = diffRecords([rec('a', { v: 1 }, 0), rec('a', { v: 2 }, 1)], [rec('a', { v: 2 }, 5)]);
    expect(counts(fewer)).toMatchObject({ missing: 1, changed: 0 });
    expect(examples(fewer, 'missing')).toEqual([{ key: 'a', baseline: { v: 1 } }]);
  });

  it('counts the records that must move for the candidate to follow the baseline order within a key', () => {
    const baseline = [1, 2, 3, 4].map((v, i) => rec('a', { v }, i));
    const candidate = [1, 3, 2, 4].map((v, i) => rec('a', { v }, i));
    const diff = diffRecords(baseline, candidate);
    expect(count(diff, 'out-of-order')).toBe(1);
    expect(examples(diff, 'out-of-order')).toEqual([{ key: 'a', baseline: [{ v: 2 }, { v: 3 }], candidate: [{ v: 3 }, { v: 2 }] }]);
    const reversed = diffRecords(baseline, [...baseline].reverse().map((r, i) => ({ ...r, position: i })));
    expect(count(reversed, 'out-of-order')).toBe(3);
  });

  it('sets aside keys newer than the last common watermark instead of calling them missing', () => {
    const baseline = [rec('old', { n: 1 }, 0, 1000), rec('fresh', { n: 2 }, 1, 5000), rec('edge', { n: 3 }, 2, 3000)];
    const candidate = [rec('old', { n: 1 }, 0, 1000)];
    const diff = diffRecords(baseline, candidate, { lastCommonWatermarkMs: 3000 });
    expect(diff).toMatchObject({ inFlight: 1, inFlightRecords: 1, lastCommonWatermarkMs: 3000, compared: 1 });
    expect(count(diff, 'missing')).toBe(1); // `edge` is at the watermark: complete on both sides
    expect(count(diffRecords(baseline, candidate), 'missing')).toBe(2);
  });

  it('keys records by value fields when asked', () => {
    const baseline = [rec('ignored', { window: 1, region: 'eu', total: 5 })];
    const candidate = [rec('other', { region: 'eu', window: 1, total: 6 })];
    const diff = diffRecords(baseline, candidate, { key: { fields: ['window', 'region'] } });
    expect(examples(diff, 'changed')).toEqual([expect.objectContaining({ key: '{"window":1,"region":"eu"}', fields: ['total'] })]);
    expect(() => diffRecords([], [], { key: { fields: [] } })).toThrow(/key.fields/);
  });

  it('diffs 100k records per side in seconds of CPU with exact counts', () => {
    const random = new Random(42);
    const size = 100_000;
    const baseline: OutputRecord[] = [];
    for (let i = 0; i < size; i++) {
      baseline.push(rec(`w${i % 5000}|r${Math.floor(i / 5000)}`, { window: i % 5000, region: `r${Math.floor(i / 5000)}`, orders: random.int(0, 100), revenue: random.next() * 1e4 }, i, i));
    }
    const candidate = baseline.map((r) => ({ ...r, value: { ...(r.value as object) } }));
    const planted = { changed: 0, missing: 0 };
    for (let i = 0; i < size; i += 997) {
      (candidate[i]?.value as { orders: number }).orders += 1;
      planted.changed++;
    }
    const dropped = new Set<number>();
    for (let i = 500; i < size; i += 1231) if (i % 997 !== 0) dropped.add(i);
    planted.missing = dropped.size;
    const kept = candidate.filter((_, i) => !dropped.has(i));
    const { result: diff, cpuMs } = cpuTimeOf(() => diffRecords(baseline, kept));
    expect(count(diff, 'changed')).toBe(planted.changed);
    expect(count(diff, 'missing')).toBe(planted.missing);
    expect(diff.compared).toBe(size - planted.missing);
    expect(cpuMs).toBeLessThan(8_000);
  });
});
