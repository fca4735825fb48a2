import { describe, expect, it } from 'vitest';
import { JsonTextMemo } from './json-memo.ts';

describe('JsonTextMemo', () => {
  it('gives the same text as JSON.stringify, row after row', () => {
    const memo = new JsonTextMemo('sends', 'truthDetail');
    const values: unknown[] = [
      { kind: 'valid', schemaVersion: 1 },
      { kind: 'valid', schemaVersion: 1 },
      { kind: 'valid', schemaVersion: 2 },
      { schemaVersion: 2, kind: 'valid' },
      { kind: 'valid', schemaVersion: 2, expectedLate: true },
      { kind: 'valid', schemaVersion: 2 },
      { kind: 'duplicate', duplicateOf: 3, nested: { a: 1 } },
      { kind: 'duplicate', duplicateOf: 3, nested: { a: 2 } },
      { kind: 'x', n: NaN },
      { kind: 'x', n: NaN },
      { kind: 'x', n: null },
      { kind: 'x', u: undefined },
      [1, 2],
      'text',
      7,
    ];
    for (const value of values) expect(memo.of(value)).toBe(JSON.stringify(value));
    expect(memo.of(null)).toBeNull();
    expect(memo.of(undefined)).toBeNull();
  });

  it('sees a changed field of the same object', () => {
    const memo = new JsonTextMemo('sends', 'truthDetail');
    const value: Record<string, unknown> = { kind: 'valid' };
    expect(memo.of(value)).toBe('{"kind":"valid"}');
    value.kind = 'late';
    expect(memo.of(value)).toBe('{"kind":"late"}');
  });

  it('refuses what JSON cannot hold, naming the field', () => {
    const memo = new JsonTextMemo('sends', 'truthDetail');
    expect(() => memo.of({ n: 1n })).toThrow(/sends\.truthDetail is not JSON-serialisable/);
  });
});
