/**
 * The JSON structure of a set of values, as DuckDB's json_group_structure gives it, at a
 * fraction of its cost. json_group_structure is a macro, `json_structure(json_group_array(x))->0`
 * (json_group_array: a string_agg of every value): it writes every value into one JSON array
 * (300 MB for 1M 300-byte values) and parses it again (~15 s of CPU per 1M values here;
 * json_structure of each value alone ~9 s: a regular expression that cut each value to a
 * skeleton was slower still, ~25 s). Chunks of values that have the same json_structure add
 * the same to that array's element structure, so the values are cut into chunks of ~1,000 (by
 * rowid, slice by slice), each written as one array, and one chunk per distinct chunk structure is
 * merged (~4 s of CPU at 1M). (Keys come in the order of the shapes' text, not of first appearance,
 * which json_group_structure's parallel string_agg does not keep either.) Not where a chunk's
 * structure holds "JSON": an empty object and clashing types both print so and merge
 * differently, so then every value is merged as before (json-structure.test.ts and
 * inputs-view.test.ts hold both forms together). */
import type { HistoryReader } from '../history/history-reader.ts';
import { rowidSlices } from './rowid-slices.ts';

/** Values per chunk (at 1M values: chunks of 1,000 2.0 s, of 100 or 10,000 2.7 s, one structure per value 4.8 s). */
const CHUNK_ROWS = 1000;
/**
 * Values per slice: a slice's chunks are built at once (string_agg keeps each chunk's text until
 * the slice ends), so a slice bounds the memory; all 10M values of a run at once ran out of memory here.
 */
const SLICE_ROWS = 500_000;

export interface StructureOptions {
  /** A SQL condition on the table's rows (default every row). */
  where?: string;
  /** Rows per slice and per chunk (tests make them small). */
  sliceRows?: number;
  chunkRows?: number;
}

/**
 * The structure (json_group_structure's text) of the JSON text column `column` of the temporary
 * table `table`, or undefined when it has no value. Chunks are runs of rowids, so a slice is a range
 * of the table's row groups.
 */
export async function jsonStructureOf(history: HistoryReader, column: string, table: string, options: StructureOptions = {}): Promise<string | undefined> {
  const { where = 'true', sliceRows = SLICE_ROWS, chunkRows = CHUNK_ROWS } = options;
  const rows = `${table} WHERE ${column} IS NOT NULL AND (${where})`;
  // Chunks of values, each written as one JSON array: json_structure per value is ~12x the cost of a parse, per chunk of ~1000 values about half of that in all.
  await history.query('CREATE OR REPLACE TEMP TABLE sp_json_shapes (shape VARCHAR, v VARCHAR)');
  for (const slice of await rowidSlices(history, table, sliceRows)) {
    await history.query(`
      INSERT INTO sp_json_shapes
      SELECT json_structure(v)::VARCHAR AS shape, any_value(v) AS v
      FROM (SELECT '[' || string_agg(${column}, ',') || ']' AS v FROM ${rows} AND ${slice} GROUP BY rowid // ${chunkRows})
      GROUP BY shape`);
  }
  const [{ clash }] = (await history.query<{ clash: boolean }>(`SELECT coalesce(bool_or(contains(shape, '"JSON"')), false) AS clash FROM sp_json_shapes`)) as [{ clash: boolean }];
  const sql = clash
    ? `SELECT json_group_structure(json(${column}))::VARCHAR AS s FROM ${rows}`
    : `SELECT (json_structure(to_json(list(json(v) ORDER BY shape))) -> 0 -> 0)::VARCHAR AS s FROM (SELECT shape, any_value(v) AS v FROM sp_json_shapes GROUP BY shape)`;
  const [row] = await history.query<{ s: string | null }>(sql);
  await history.query('DROP TABLE sp_json_shapes');
  return row?.s && row.s !== 'null' ? row.s : undefined;
}

/** A leaf of a structure: its keys from the root, and its node (a type name, or an array's structure). */
export interface StructureLeaf {
  parts: string[];
  node: unknown;
}

/** Leaf paths of a structure: objects walked, anything else (a scalar type, "NULL", "JSON", an array) a leaf. */
export function structureLeaves(structure: unknown, prefix: string[] = []): StructureLeaf[] {
  if (structure !== null && typeof structure === 'object' && !Array.isArray(structure)) {
    return Object.entries(structure as Record<string, unknown>).flatMap(([k, v]) => structureLeaves(v, [...prefix, k]));
  }
  return prefix.length === 0 ? [] : [{ parts: prefix, node: structure }];
}

/** `$."a"."b"`: a JSONPath for json_extract that takes every key literally. */
export const jsonPathOf = (parts: readonly string[]) => `$${parts.map((k) => `."${k.replaceAll('"', '\\"')}"`).join('')}`;
