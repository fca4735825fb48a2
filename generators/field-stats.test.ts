import { describe, expect, it } from 'vitest';
import { fieldStats, formatFieldStats } from './field-stats.ts';

describe('fieldStats', () => {
  it('counts presence, nulls, types, distinct values, number ranges and top values per leaf path', () => {
    const stats = fieldStats([
      { a: 1, n: { b: 'x' }, tags: ['p', 'q'] },
      { a: 3, n: { b: 'x' }, tags: [] },
      { a: null, n: { b: 'y' }, extra: true },
    ]);
    expect(stats.events).toBe(3);
    const by = new Map(stats.fields.map((f) => [f.path, f]));
    expect(by.get('a')).toMatchObject({ present: 3, nulls: 1, types: ['number', 'null'], distinct: 2, numbers: { min: 1, mean: 2, max: 3 } });
    expect(by.get('n.b')?.top).toEqual([{ value: 'x', share: 2 / 3 }, { value: 'y', share: 1 / 3 }]);
    expect(by.get('tags[]')).toMatchObject({ present: 2, distinct: 2 });
    expect(by.get('extra')).toMatchObject({ present: 1, types: ['boolean'] });
    const lines = formatFieldStats(stats);
    expect(lines[0]).toMatch(/^a\s+number\|null\s+present 100\.0%\s+null 33\.3%\s+distinct 2\s+min 1 mean 2 max 3/);
  });
});
