/**
 * null-inflation: per field and per input schema, does a value the input had arrive in the
 * output? Every records output (and records sink) is paired with its input events by the declared
 * identity; for each leaf path an input event carried (not null), an output record of that event
 * without it (null or absent) is a null the inputs do not explain. Counted per schema id of the
 * input (from the registry's wire format; 'json' for plain values), so a field lost only for v2
 * events shows as such.
 *
 * Judged paths: those the output's field map declares carried or masked (`fields`), else, without
 * a map, those the output carries at all (non-null in at least one of its records). A field in no
 * output record of an undeclared output is a projection as far as the harness can tell: listed,
 * not judged (declare it carried to judge it).
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { declaredFieldMaps, type FieldMap } from '../sut/sut-config.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, MAX_EXAMPLES, skippedResult, type Checker, type CheckResult } from './checker.ts';
import { eventIdOf } from './declared-sut.ts';
import { relationOf } from './fields.ts';
import { sqlStrings } from './history-sql.ts';
import { createInputsView } from './inputs-view.ts';
import { leavesOf, pairsSql } from './output-pairs.ts';
import { sinkTopic } from '../sut/sut-config.ts';

interface Source {
  source: string;
  role: string;
  fields?: FieldMap;
}

interface PathRow {
  path: string;
  schema: string;
  inputs: number;
  nulled: number;
  examples: { record: string; event_id: string }[];
}

/** Records outputs and sinks of the declared SUT, with their field maps when declared. */
function sourcesOf(params: CheckerParams): Source[] {
  const sut = params.declared;
  if (!sut) return [];
  const maps = new Map(declaredFieldMaps(sut).map((m) => [m.source, m.fields]));
  return [
    ...sut.topics.outputs.filter((o) => o.role === 'records').map((o) => ({ source: o.name, role: 'records', fields: maps.get(o.name) })),
    ...sut.sinks.filter((s) => s.role === 'records').map((s) => ({ source: sinkTopic(s.name), role: 'records', fields: maps.get(sinkTopic(s.name)) })),
  ];
}

/** The schema of each input copy: its registry id where the history has one. */
async function schemaColumn(history: HistoryReader): Promise<string> {
  const [has] = await history.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM information_schema.columns WHERE table_name = 'observed' AND column_name = 'schema_id'`);
  return has && has.n > 0 ? `coalesce(s.schema_id::VARCHAR, 'json')` : `'json'`;
}

async function judgeSource(history: HistoryReader, params: CheckerParams, src: Source, schema: string): Promise<{ pairs: number; rows: PathRow[]; unjudged: string[] }> {
  await history.query(pairsSql(eventIdOf(params), src.source, src.role));
  const [{ pairs }] = (await history.query<{ pairs: number }>('SELECT count(*)::INTEGER AS pairs FROM fid_pairs')) as [{ pairs: number }];
  if (pairs === 0) return { pairs, rows: [], unjudged: [] };
  await history.query(`CREATE OR REPLACE TEMP TABLE ni_in AS ${leavesOf('in_txt')}`);
  await history.query(`CREATE OR REPLACE TEMP TABLE ni_out AS ${leavesOf('out_txt')}`);
  const inPaths = (await history.query<{ path: string }>('SELECT DISTINCT path FROM ni_in ORDER BY path')).map((r) => r.path);
  const outPaths = new Set((await history.query<{ path: string }>('SELECT DISTINCT path FROM ni_out')).map((r) => r.path));
  const judged = src.fields
    ? inPaths.filter((p) => ['carried', 'masked'].includes(String(relationOf(src.fields!, p))))
    : inPaths.filter((p) => outPaths.has(p));
  const unjudged = src.fields ? [] : inPaths.filter((p) => !outPaths.has(p));
  if (judged.length === 0) return { pairs, rows: [], unjudged };
  const rows = await history.query<PathRow>(`
    WITH schemas AS (
      SELECT DISTINCT ON (topic, partition, "offset") topic, partition, "offset", ${schema} AS schema
      FROM observed s WHERE role = 'input'),
    i AS (
      SELECT n.rid, n.path, sc.schema FROM ni_in n JOIN fid_pairs p USING (rid)
      LEFT JOIN schemas sc ON sc.topic = p.sp_topic AND sc.partition = p.sp_partition AND sc."offset" = p.sp_offset
      WHERE n.path IN (${sqlStrings(judged)}))
    SELECT i.path, coalesce(i.schema, 'json') AS schema, count(*)::INTEGER AS inputs,
      count(*) FILTER (WHERE o.rid IS NULL)::INTEGER AS nulled,
      (list({'record': p.record, 'event_id': p.event_id} ORDER BY i.rid) FILTER (WHERE o.rid IS NULL))[1:${MAX_EXAMPLES}] AS examples
    FROM i JOIN fid_pairs p USING (rid) LEFT JOIN ni_out o ON o.rid = i.rid AND o.path = i.path
    GROUP BY ALL ORDER BY i.path, schema`);
  return { pairs, rows, unjudged };
}

export const nullInflationChecker: Checker = {
  name: 'null-inflation',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const sources = sourcesOf(params);
    if (sources.length === 0) return skippedResult('null-inflation', 'the SUT declares no records output to compare with its inputs');
    if ((await createInputsView(history)) === 0) return checkResult('null-inflation', 'unknown', 'the input topics were not read back: the inputs to compare with are unknown', {});
    const schema = await schemaColumn(history);
    const counts: Record<string, number> = { compared: 0, fields: 0 };
    const problems: string[] = [];
    const examples: unknown[] = [];
    const notes: string[] = [];
    for (const src of sources) {
      const { pairs, rows, unjudged } = await judgeSource(history, params, src, schema);
      counts.compared! += pairs;
      counts[`${src.source}: compared`] = pairs;
      counts.fields! += new Set(rows.map((r) => r.path)).size;
      if (unjudged.length > 0) notes.push(`${src.source}: ${unjudged.join(', ')} in no output record, not judged (declare them carried to judge them)`);
      for (const row of rows) {
        if (row.nulled === 0) continue;
        const label = row.schema === 'json' ? 'plain JSON' : `schema ${row.schema}`;
        counts[`${src.source} ${row.path} (${label}): null`] = row.nulled;
        problems.push(`${src.source} ${row.path}: null in ${row.nulled} of ${row.inputs} outputs whose input (${label}) had it (${((100 * row.nulled) / row.inputs).toFixed(1)}%)`);
        for (const e of row.examples ?? []) examples.push({ copy: src.source, field: row.path, schema: row.schema, ...e });
      }
    }
    if (counts.compared === 0) return checkResult('null-inflation', 'unknown', 'no output record could be paired with a JSON input event', counts);
    const tail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
    if (problems.length > 0) return checkResult('null-inflation', false, problems.slice(0, 6).join('; ') + (problems.length > 6 ? `; and ${problems.length - 6} more` : '') + tail, counts, examples);
    if (counts.fields === 0) return checkResult('null-inflation', 'unknown', `no field of the inputs is carried by the outputs to judge${tail}`, counts);
    return checkResult('null-inflation', true, `${counts.fields} fields judged over ${counts.compared} output records: no null the inputs do not explain${tail}`, counts);
  },
};
