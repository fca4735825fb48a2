/**
 * The JSON structure of a set of values, as DuckDB's json_group_structure gives it, at a
 * fraction of its cost. json_group_structure (a macro: `json_structure(json_group_array(x))->0`)
 * costs ~15 s of CPU per 1M 300-byte values here, json_structure alone ~8 µs a value. Both are
 * a function of each value's *skeleton*: the value with every string value cut to `"`, every run
 * of up to 17 digits removed (longer runs, which may not fit 64 bits, kept), keys, signs, `.`,
 * exponents, literals and punctuation kept. Two values with one skeleton have the same keys and
 * tokens of the same JSON types (a number's type, UBIGINT / BIGINT / DOUBLE, is its sign, fraction
 * or exponent, and magnitude), so the same structure. One regular expression per value and a
 * GROUP BY on the skeletons leave one value per shape; their structures merged in one array (as
 * the macro merges all) give the same result. Not where a shape's structure holds "JSON": an
 * empty object and clashing types both print so and merge differently, so then every value is
 * merged as before. (json-structure.test.ts and inputs-view.test.ts hold both forms together.)
 */
import type { HistoryReader } from '../history/history-reader.ts';

/** Keys (a string and its colon) kept, a string value cut to its closing quote, digit runs of 18 or more kept, shorter ones removed. */
export const SKELETON_PATTERN = String.raw`("(?:[^"\\]|\\.)*"\s*:)|"(?:[^"\\]|\\.)*(")|([0-9]{18,})|[0-9]+`;

/** The skeleton of JSON text `column` (SQL). */
export const skeletonSql = (column: string) => `regexp_replace(${column}, '${SKELETON_PATTERN}', '\\1\\2\\3', 'g')`;

/**
 * The structure (json_group_structure's text) of the JSON text column `column` of `from` (a
 * table or subquery whose values are valid JSON), or undefined when it has no value. Keys come in
 * the order of the shapes' skeletons, not of first appearance (which the macro's parallel
 * string_agg does not keep either).
 */
export async function jsonStructureOf(history: HistoryReader, column: string, from: string): Promise<string | undefined> {
  await history.query(`
    CREATE OR REPLACE TEMP TABLE sp_json_shapes AS
    SELECT skeleton, json_structure(v)::VARCHAR AS shape, v FROM (
      SELECT ${skeletonSql(column)} AS skeleton, any_value(${column}) AS v FROM ${from} WHERE ${column} IS NOT NULL GROUP BY skeleton)`);
  const [{ clash }] = (await history.query<{ clash: boolean }>(`SELECT coalesce(bool_or(contains(shape, '"JSON"')), false) AS clash FROM sp_json_shapes`)) as [{ clash: boolean }];
  const sql = clash
    ? `SELECT json_group_structure(json(${column}))::VARCHAR AS s FROM ${from} WHERE ${column} IS NOT NULL`
    : `SELECT (json_structure(to_json(list(json(v) ORDER BY skeleton))) -> 0)::VARCHAR AS s FROM sp_json_shapes`;
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
