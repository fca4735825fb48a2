import { describe, expect, it } from 'vitest';
import { FieldComparator } from './field-comparator.ts';
import { AlignedRecord, alignKey, TOLERANT_MATCH_LIMIT } from './key-alignment.ts';
import { FieldFilter } from './record-fields.ts';

const none = new FieldFilter([]);
const records = (values: unknown[]) => values.map((v, i) => new AlignedRecord(v, i, none));

describe('alignKey', () => {
  const comparator = new FieldComparator({ tolerance: { absolute: 0.01 } });

  it('pairs equal updates in order, then within tolerance, then by position as changed', () => {
    const alignment = alignKey(records([{ v: 1 }, { v: 2 }, { v: 3 }]), records([{ v: 1 }, { v: 2.001 }, { v: 9 }]), comparator);
    expect(alignment.pairs.map((p) => p.fields)).toEqual([[], [], ['v']]);
    expect(alignment).toMatchObject({ missing: [], extra: [], duplicated: [], outOfOrder: 0, inversion: null });
  });

  it('counts the records to move and names the first inverted neighbours', () => {
    const alignment = alignKey(records([{ v: 1 }, { v: 2 }, { v: 3 }]), records([{ v: 3 }, { v: 1 }, { v: 2 }]), comparator);
    expect(alignment.outOfOrder).toBe(1);
    expect(alignment.inversion?.map((p) => p.baseline.value)).toEqual([{ v: 2 }, { v: 3 }]);
  });

  it('matches repeated values one for one and calls the surplus copies duplicates', () => {
    const alignment = alignKey(records([{ v: 1 }, { v: 1 }]), records([{ v: 1 }, { v: 1 }, { v: 1 }, { v: 1.001 }]), comparator);
    expect(alignment.pairs).toHaveLength(2);
    expect(alignment.duplicated.map((r) => r.position)).toEqual([2, 3]);
  });

  it('matches huge keys by exact value only, in linear time', () => {
    const size = TOLERANT_MATCH_LIMIT + 1;
    const baseline = records(Array.from({ length: size }, (_, i) => ({ v: i })));
    const candidate = records(Array.from({ length: size }, (_, i) => ({ v: i === 0 ? 0.001 : i })));
    const alignment = alignKey(baseline, candidate, comparator);
    // Record 0 finds no exact match; it is paired by position and then found equal within tolerance.
    expect(alignment.pairs).toHaveLength(size);
    expect(alignment.pairs.filter((p) => p.fields.length > 0)).toHaveLength(0);
    expect(alignment.outOfOrder).toBe(0);
  });
});
