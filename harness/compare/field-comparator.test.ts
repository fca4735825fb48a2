import { describe, expect, it } from 'vitest';
import { FieldComparator } from './field-comparator.ts';
import { FieldFilter, flattenFields } from './record-fields.ts';

const flat = (v: object) => flattenFields(v, new FieldFilter([]));

describe('FieldComparator', () => {
  it('compares numbers within the default relative tolerance and everything else exactly', () => {
    const comparator = new FieldComparator();
    expect(comparator.equal(flat({ x: 0.1 + 0.2 }), flat({ x: 0.3 }))).toBe(true);
    expect(comparator.equal(flat({ x: 100 }), flat({ x: 100.001 }))).toBe(false);
    expect(comparator.differingFields(flat({ a: [1, 2], b: 's', c: 1 }), flat({ a: [2, 1], b: 's', d: 1 }))).toEqual(['a', 'c', 'd']);
  });

  it('uses the field tolerance, else the closest configured parent, else the default', () => {
    const comparator = new FieldComparator({ tolerance: { absolute: 0.5 }, fieldTolerances: { stats: { relative: 0.1 }, 'stats.max': { absolute: 0 } } });
    const base = flat({ n: 10, stats: { p99: 100, max: 7 } });
    expect(comparator.differingFields(base, flat({ n: 10.4, stats: { p99: 109, max: 7 } }))).toEqual([]);
    expect(comparator.differingFields(base, flat({ n: 10.6, stats: { p99: 112, max: 7.1 } }))).toEqual(['n', 'stats.max', 'stats.p99']);
  });

  it('rejects a negative tolerance', () => {
    expect(() => new FieldComparator({ fieldTolerances: { x: { absolute: -1 } } })).toThrow(/fieldTolerances.x.absolute/);
  });
});
