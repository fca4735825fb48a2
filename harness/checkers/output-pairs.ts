/**
 * Output records paired with their input events (the first copy in the input topics, joined by
 * the declared identity), and the leaves of either side: what field-level checkers compare.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { sqlStrings } from './history-sql.ts';
import { readOnce } from './read-once.ts';

const ofSource = (source: string, role: string) => `topic = ${sqlStrings([source])} AND role = ${sqlStrings([role])}`;

/**
 * Output records of `source` paired with their input events. `parsed_inputs` (inputs-view.ts)
 * holds the inputs that are JSON objects and not poison, already told apart once; an output is
 * an object by one parse (`TRY(json_type(x))`, as there). A record read twice is one pair: it
 * is grouped by its position, which is all that tells records apart in one topic (hashing two
 * integers, not the value), unless none was (`once`, read-once.ts). `rid` is the position as one integer (partition above bit 42;
 * offsets, a drill's DR offsets included, stay below 2^42), so ordering by it is ordering by
 * position, with no sort of the pairs to number them.
 */
export const pairsSql = (id: string, source: string, role: string, once: boolean) => `
CREATE OR REPLACE TEMP TABLE fid_pairs AS
SELECT (o.partition::BIGINT << 42) + o."offset" AS rid, ${sqlStrings([`${role} ${source}/`])} || o.partition || '/' || o."offset" AS record,
  o.event_id, o.txt AS out_txt, i.sp_value AS in_txt, i.sp_topic, i.sp_partition, i.sp_offset
FROM (SELECT partition, "offset", event_id, TRY(decode(value)) AS txt FROM (
        ${once ? `SELECT partition, "offset", ${id} AS event_id, value` : `SELECT partition, "offset", any_value(${id}) AS event_id, any_value(value) AS value`}
        FROM observed WHERE ${ofSource(source, role)} ${once ? '' : 'GROUP BY partition, "offset"'})) o
JOIN parsed_inputs i ON i.sp_event_id = o.event_id
WHERE TRY(json_type(o.txt)) = 'OBJECT'`;

/**
 * The leaves of one side of the pairs as json_tree walks them (`leavesOf`): every node reached
 * through objects only that is neither an object nor null, path = its keys joined by `.`.
 */
export const leavesOf = (column: string) => `SELECT p.rid, substr(t.fullkey, 3) AS path, t.type, t.value FROM fid_pairs p, json_tree(p.${column}) t
  WHERE t.type NOT IN ('OBJECT', 'NULL') AND NOT contains(t.fullkey, '[')`;


// The pairs `fid_pairs` holds, per reader: fields and null-inflation judge the same outputs one after the other.
const pairedFor = new WeakMap<HistoryReader, string>();

/** Fills `fid_pairs` with the pairs of `source` (pairsSql), unless it already holds them. */
export async function pairOutputs(history: HistoryReader, id: string, source: string, role: string): Promise<void> {
  const which = JSON.stringify([id, source, role]);
  if (pairedFor.get(history) === which) return;
  await history.query(pairsSql(id, source, role, await readOnce(history, ofSource(source, role))));
  pairedFor.set(history, which);
}
