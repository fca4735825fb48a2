import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { jsonStructureOf, structureLeaves, type StructureOptions } from './json-structure.ts';
import { join } from 'node:path';

const tempDir = useTempDir();

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

/** The structure of the values both ways (`slices` as jsonStructureOf takes them). */
async function structures(r: HistoryReader, values: readonly string[], slices: StructureOptions) {
  await r.query(`CREATE OR REPLACE TEMP TABLE vals AS SELECT unnest(from_json($v, '["VARCHAR"]')) AS x`, { v: JSON.stringify(values) });
  const [all] = await r.query<{ s: string }>('SELECT json_group_structure(json(x))::VARCHAR AS s FROM vals');
  return { expected: all!.s, got: await jsonStructureOf(r, 'x', 'vals', slices) };
}

describe('json structure', () => {
  it('merges to json_group_structure for any JSON objects (property)', async () => {
    await withHistory(async (r) => {
      await fc.assert(fc.asyncProperty(fc.array(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 12 }), async (objects) => {
        const values = objects.map((o) => JSON.stringify(o));
        // slices of 3 values in chunks of 2: what 10M values meet as slices of 500,000 in chunks of 1,000
        const { expected, got } = await structures(r, values, { sliceRows: 3, chunkRows: 2 });
        expect(got === undefined ? undefined : JSON.parse(got)).toEqual(expected === 'null' ? undefined : JSON.parse(expected));
      }), { numRuns: 80 });
    });
  });

  it('merges to json_group_structure when the chunks mix values of different shapes (property)', async () => {
    await withHistory(async (r) => {
      await fc.assert(fc.asyncProperty(fc.array(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 })), { minLength: 2, maxLength: 6 }), async (objects) => {
        // 3,000 distinct values in 3 slices of 1,000 chunks of 3 (rowids run in sending order): each chunk holds several shapes
        const values = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ...objects[i % objects.length], n: i }));
        const { expected, got } = await structures(r, values, { sliceRows: 1000, chunkRows: 3 });
        expect(got === undefined ? undefined : JSON.parse(got)).toEqual(JSON.parse(expected));
      }), { numRuns: 15 });
    });
  });

  it('lists leaves through objects only', () => {
    expect(structureLeaves({ a: 'UBIGINT', b: { c: ['VARCHAR'], d: 'NULL' } })).toEqual([
      { parts: ['a'], node: 'UBIGINT' }, { parts: ['b', 'c'], node: ['VARCHAR'] }, { parts: ['b', 'd'], node: 'NULL' }]);
  });
});
