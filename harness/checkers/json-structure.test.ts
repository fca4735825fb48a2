import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { jsonStructureOf, skeletonSql, structureLeaves } from './json-structure.ts';
import { join } from 'node:path';

const tempDir = useTempDir();

/** Numbers of every class json_structure tells apart, with the same skeleton where the class is the same. */
const NUMBERS = ['0', '7', '-0', '-7', '0.5', '-0.0', '1e5', '1E-400', '99999999999999999', '-99999999999999999',
  '18446744073709551615', '18446744073709551616', '9223372036854775807', '-9223372036854775808', '-9223372036854775809'];

async function withHistory<T>(fn: (r: HistoryReader) => Promise<T>): Promise<T> {
  const path = join(tempDir(), 'h.duckdb');
  await (await HistoryWriter.open(path)).close();
  const reader = await HistoryReader.open(path);
  try {
    return await fn(reader);
  } finally {
    reader.close();
  }
}

/** Each value's skeleton and structure, and the structure of all of them both ways. */
async function structures(r: HistoryReader, values: readonly string[]) {
  await r.query(`CREATE OR REPLACE TEMP TABLE vals AS SELECT unnest(from_json($v, '["VARCHAR"]')) AS x`, { v: JSON.stringify(values) });
  const rows = await r.query<{ skeleton: string; shapes: string[] }>(
    `SELECT ${skeletonSql('x')} AS skeleton, list(DISTINCT json_structure(x)::VARCHAR) AS shapes FROM vals GROUP BY skeleton`);
  const [all] = await r.query<{ s: string }>('SELECT json_group_structure(json(x))::VARCHAR AS s FROM vals');
  return { rows, expected: all!.s, got: await jsonStructureOf(r, 'x', 'vals') };
}

describe('json structure', () => {
  it('gives one skeleton only to values of one structure, numbers of every class included', async () => {
    await withHistory(async (r) => {
      const values = NUMBERS.flatMap((n) => [`{"a":${n}}`, `{"a":[${n}],"b":"s${n}"}`, `{"a\\"${n}":${n}}`]);
      const { rows } = await structures(r, values);
      for (const row of rows) expect(row.shapes, row.skeleton).toHaveLength(1);
      expect(rows.length).toBeGreaterThan(12); // the classes were told apart
    });
  });

  it('holds for any JSON object (property), and merges to json_group_structure', async () => {
    await withHistory(async (r) => {
      await fc.assert(fc.asyncProperty(fc.array(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 12 }), async (objects) => {
        const values = objects.map((o) => JSON.stringify(o));
        const { rows, expected, got } = await structures(r, values);
        for (const row of rows) expect(row.shapes).toHaveLength(1);
        expect(got === undefined ? undefined : JSON.parse(got)).toEqual(expected === 'null' ? undefined : JSON.parse(expected));
      }), { numRuns: 60 });
    });
  });

  it('lists leaves through objects only', () => {
    expect(structureLeaves({ a: 'UBIGINT', b: { c: ['VARCHAR'], d: 'NULL' } })).toEqual([
      { parts: ['a'], node: 'UBIGINT' }, { parts: ['b', 'c'], node: ['VARCHAR'] }, { parts: ['b', 'd'], node: 'NULL' }]);
  });
});
