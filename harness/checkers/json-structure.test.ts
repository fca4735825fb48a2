import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { jsonStructureOf, structureLeaves } from './json-structure.ts';
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

/** The structure of the values both ways. */
async function structures(r: HistoryReader, values: readonly string[]) {
  await r.query(`CREATE OR REPLACE TEMP TABLE vals AS SELECT unnest(from_json($v, '["VARCHAR"]')) AS x`, { v: JSON.stringify(values) });
  const [all] = await r.query<{ s: string }>('SELECT json_group_structure(json(x))::VARCHAR AS s FROM vals');
  // slices of 3 values in chunks of 2: what 10M values meet as slices of 500,000 in chunks of 1,000
  return { expected: all!.s, got: await jsonStructureOf(r, 'x', 'vals', { sliceRows: 3, chunkRows: 2 }) };
}

describe('json structure', () => {
  it('merges to json_group_structure for any JSON objects (property)', async () => {
    await withHistory(async (r) => {
      await fc.assert(fc.asyncProperty(fc.array(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 12 }), async (objects) => {
        const values = objects.map((o) => JSON.stringify(o));
        const { expected, got } = await structures(r, values);
        expect(got === undefined ? undefined : JSON.parse(got)).toEqual(expected === 'null' ? undefined : JSON.parse(expected));
      }), { numRuns: 80 });
    });
  });

  it('merges to json_group_structure when the chunks mix values of different shapes (property)', async () => {
    await withHistory(async (r) => {
      await fc.assert(fc.asyncProperty(fc.array(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 })), { minLength: 2, maxLength: 6 }), async (objects) => {
        // 3,000 distinct values over 1,000 chunks: each chunk holds several shapes
        const values = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ...objects[i % objects.length], n: i }));
        const { expected, got } = await structures(r, values);
        expect(got === undefined ? undefined : JSON.parse(got)).toEqual(JSON.parse(expected));
      }), { numRuns: 15 });
    });
  });

  it('lists leaves through objects only', () => {
    expect(structureLeaves({ a: 'UBIGINT', b: { c: ['VARCHAR'], d: 'NULL' } })).toEqual([
      { parts: ['a'], node: 'UBIGINT' }, { parts: ['b', 'c'], node: ['VARCHAR'] }, { parts: ['b', 'd'], node: 'NULL' }]);
  });
});
