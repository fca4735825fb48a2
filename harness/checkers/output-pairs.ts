/**
 * Output records paired with their input events (the first copy in the input topics, joined by
 * the declared identity), and the leaves of either side: what field-level checkers compare.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { sqlStrings } from './history-sql.ts';
import { jsonPathOf, structureLeaves } from './json-structure.ts';

/**
 * Output records of `source` paired with their input events. `parsed_inputs` (inputs-view.ts)
 * holds the inputs that are JSON objects and not poison, already told apart once; an output is
 * an object by one parse (`TRY(json_type(x))`, as there).
 */
export const pairsSql = (id: string, source: string, role: string) => `
CREATE OR REPLACE TEMP TABLE fid_pairs AS
SELECT row_number() OVER (ORDER BY o.partition, o."offset") AS rid, o.role || ' ' || o.topic || '/' || o.partition || '/' || o."offset" AS record,
  o.event_id, o.txt AS out_txt, i.sp_value AS in_txt, i.sp_topic, i.sp_partition, i.sp_offset
FROM (SELECT DISTINCT role, topic, partition, "offset", ${id} AS event_id, TRY(decode(value)) AS txt
      FROM observed WHERE topic = ${sqlStrings([source])} AND role = ${sqlStrings([role])}) o
JOIN parsed_inputs i ON i.sp_event_id = o.event_id
WHERE TRY(json_type(o.txt)) = 'OBJECT'`;

/**
 * The leaves of one side of the pairs as json_tree walks them (`leavesOf`): every node reached
 * through objects only that is neither an object nor null, path = its keys joined by `.`.
 */
export const leavesOf = (column: string) => `SELECT p.rid, substr(t.fullkey, 3) AS path, t.type, t.value FROM fid_pairs p, json_tree(p.${column}) t
  WHERE t.type NOT IN ('OBJECT', 'NULL') AND NOT contains(t.fullkey, '[')`;


/**
 * The same rows as `leavesOf(column)`, by one json_extract per value of the side's leaf paths
 * (its structure, json-structure.ts) instead of a json_tree walk of every node (~130 µs per pair
 * at 1M). Undefined where the structure cannot stand for the walk, and the caller walks: a key
 * json_tree would name ambiguously or not at all, or a path could not say (`.`, `[`, `"`, `\\`, empty), or an object where the
 * structure says "JSON" (clashing types: its leaves are not in the structure), found after the
 * extraction. Same rows, tested in fields.test.ts.
 */
export async function leavesByExtraction(history: HistoryReader, table: string, column: string, structure: unknown): Promise<boolean> {
  const leaves = structureLeaves(structure);
  if (leaves.length === 0 || leaves.some((l) => l.parts.some((k) => k === '' || /[.["\\]/.test(k)))) return false;
  const paths = leaves.map((l) => l.parts.join('.'));
  await history.query(`CREATE OR REPLACE TEMP TABLE ${table} AS
    SELECT rid, path, json_type(value) AS type, value FROM (
      SELECT rid, unnest([${sqlStrings(paths)}]) AS path, unnest(json_extract(${column}, [${sqlStrings(leaves.map((l) => jsonPathOf(l.parts)))}])) AS value FROM fid_pairs)
    WHERE value IS NOT NULL AND value::VARCHAR <> 'null'`);
  // An object at a leaf of the structure: its children are leaves the structure does not list.
  const [{ objects }] = (await history.query<{ objects: number }>(`SELECT count(*)::INTEGER AS objects FROM ${table} WHERE type = 'OBJECT' AND value::VARCHAR <> '{}'`)) as [{ objects: number }];
  if (objects > 0) return false;
  await history.query(`DELETE FROM ${table} WHERE type = 'OBJECT'`);
  return true;
}
