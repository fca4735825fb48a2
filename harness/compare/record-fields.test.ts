import { describe, expect, it } from 'vitest';
import { FieldFilter, fieldAt, fieldsSignature, flattenFields, ROOT_FIELD } from './record-fields.ts';

const none = new FieldFilter([]);

describe('record fields', () => {
  it('flattens nested objects to sorted dotted paths, arrays whole', () => {
    const fields = flattenFields({ b: 1, a: { y: 'x', z: [1, 2] }, empty: {} }, none);
    expect(Array.from(fields.keys())).toEqual(['a.y', 'a.z', 'b', 'empty']);
    expect(fields.get('a.z')).toEqual([1, 2]);
    expect(flattenFields(42, none)).toEqual(new Map([[ROOT_FIELD, 42]]));
  });

  it('ignores a field and everything below it, but not a sibling sharing its prefix', () => {
    const filter = new FieldFilter(['meta', 'a.ts']);
    expect(filter.ignores('meta.host')).toBe(true);
    expect(filter.ignores('metadata')).toBe(false);
    expect(Array.from(flattenFields({ meta: { host: 'h' }, metadata: 1, a: { ts: 1, n: 2 } }, filter).keys())).toEqual(['a.n', 'metadata']);
  });

  it('signs values so that only identical compared fields collide', () => {
    const sign = (v: unknown, filter = none) => fieldsSignature(v, filter);
    expect(sign({ a: 1, b: 'x' })).toBe(sign({ b: 'x', a: 1 }));
    expect(sign({ a: 1 })).not.toBe(sign({ a: '1' }));
    expect(sign({ a: 'x', b: 'y' })).not.toBe(sign({ a: 'x\u00011:by' }));
    expect(sign({ a: null })).not.toBe(sign({}));
    expect(sign({ a: 1, ts: 5 }, new FieldFilter(['ts']))).toBe(sign({ a: 1, ts: 6 }, new FieldFilter(['ts'])));
  });

  it('reads a dotted path', () => {
    expect(fieldAt({ w: { start: 5 } }, 'w.start')).toBe(5);
    expect(fieldAt({ w: 1 }, 'w.start')).toBeUndefined();
  });
});
