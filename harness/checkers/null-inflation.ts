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
import { createInputsView, inputsStructure } from './inputs-view.ts';
import { pairOutputs } from './output-pairs.ts';
import { jsonPathOf, structureLeaves } from './json-structure.ts';
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

/** The schema of each input copy: its registry id where the history has one; undefined when every input is plain JSON. */
async function schemaColumn(history: HistoryReader): Promise<string | undefined> {
  const [has] = await history.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM information_schema.columns WHERE table_name = 'observed' AND column_name = 'schema_id'`);
  if (!has || has.n === 0) return undefined;
  const [ids] = await history.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM observed WHERE role = 'input' AND schema_id IS NOT NULL`);
  return ids && ids.n > 0 ? `coalesce(s.schema_id::VARCHAR, 'json')` : undefined;
}

interface Leaf {
  parts: string[];
  /** False for a leaf only ever null. */
  nonNull: boolean;
}

/** Leaf paths of a json_group_structure (json-structure.ts): objects walked, anything else a leaf. */
const leafPaths = (structure: unknown): Leaf[] => structureLeaves(structure).map((l) => ({ parts: l.parts, nonNull: l.node !== 'NULL' }));

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Whether a paired input has the leaf, read from its typed column in `parsed_inputs` (parsed once
 * for the whole judgement) rather than by parsing the input again: from_json makes a JSON null
 * and a missing key SQL NULL, also in a column of mixed types (tested). A top-level name the
 * view's own `sp_` columns could shadow is read from the JSON text instead.
 */
function inputHas(leaf: Leaf): string {
  if (leaf.parts[0]!.toLowerCase().startsWith('sp_')) {
    const v = `json_extract(p.in_txt, ${sqlStrings([jsonPathOf(leaf.parts)])})`;
    return `(${v} IS NOT NULL AND json_type(${v}) <> 'NULL')`;
  }
  return `(pi.${leaf.parts.map(ident).join('.')} IS NOT NULL)`;
}


/**
 * Each pair's input and output are parsed once (json_extract with the list of candidate paths),
 * not walked leaf by leaf: the paths come from the inputs' structure (inputs-view.ts, computed
 * once per judgement). One pass counts, per path and schema, the inputs that had the path, the
 * outputs that lost it, and the outputs that carry it at all (what judges an undeclared output).
 */
async function judgeSource(history: HistoryReader, params: CheckerParams, src: Source, schema: string | undefined): Promise<{ pairs: number; rows: PathRow[]; unjudged: string[] }> {
  await pairOutputs(history, eventIdOf(params), src.source, src.role);
  const [{ pairs }] = (await history.query<{ pairs: number }>('SELECT count(*)::INTEGER AS pairs FROM fid_pairs')) as [{ pairs: number }];
  if (pairs === 0) return { pairs, rows: [], unjudged: [] };
  const named = leafPaths(await inputsStructure(history)).filter((l) => l.nonNull).map((l) => ({ ...l, path: l.parts.join('.') }));
  const candidates = src.fields ? named.filter((l) => ['carried', 'masked'].includes(String(relationOf(src.fields!, l.path)))) : named;
  if (candidates.length === 0) return { pairs, rows: [], unjudged: [] };
  const paths = `[${candidates.map((l) => sqlStrings([jsonPathOf(l.parts)])).join(', ')}]`;
  // json_extract gives a JSON null as the text `null` (minified): no need to parse each extracted value again with json_type.
  const nulled = (k: number) => `i[${k}] AND NOT o[${k}]`;
  // Without a registry every input is 'json': no join with the input copies' schema ids.
  const schemas = schema === undefined ? '' : `LEFT JOIN (
      SELECT DISTINCT ON (topic, partition, "offset") topic, partition, "offset", ${schema} AS schema
      FROM observed s WHERE role = 'input') sc ON sc.topic = p.sp_topic AND sc.partition = p.sp_partition AND sc."offset" = p.sp_offset`;
  await history.query(`
    CREATE OR REPLACE TEMP TABLE ni_x AS
    SELECT p.rid, p.record, p.event_id, ${schema === undefined ? `'json'` : `coalesce(sc.schema, 'json')`} AS schema,
      [${candidates.map(inputHas).join(', ')}] AS i, list_transform(json_extract(p.out_txt, ${paths}), v -> coalesce(v::VARCHAR <> 'null', false)) AS o
    FROM fid_pairs p JOIN parsed_inputs pi ON pi.sp_event_id = p.event_id
    ${schemas}`);
  // One pass, three counts per path and schema; examples only for what failed.
  const ks = candidates.map((_, i) => i + 1);
  const counts = await history.query<Record<string, string | number>>(`SELECT schema,
    ${ks.map((k) => `count(*) FILTER (WHERE i[${k}])::INTEGER AS in_${k}, count(*) FILTER (WHERE ${nulled(k)})::INTEGER AS nulled_${k}, count(*) FILTER (WHERE o[${k}])::INTEGER AS out_${k}`).join(',\n    ')}
    FROM ni_x GROUP BY schema ORDER BY schema`);
  // Without a field map, a path no output record carries is a projection as far as the harness can tell.
  const carried = (k: number) => src.fields !== undefined || counts.some((c) => Number(c[`out_${k}`]) > 0);
  const unjudged = candidates.filter((_, i) => !carried(i + 1)).map((l) => l.path).sort();
  const rows: PathRow[] = [];
  for (const [i, leaf] of candidates.entries()) {
    if (!carried(i + 1)) continue;
    for (const c of counts) {
      const inputs = Number(c[`in_${i + 1}`]);
      if (inputs === 0) continue;
      const row: PathRow = { path: leaf.path, schema: String(c.schema), inputs, nulled: Number(c[`nulled_${i + 1}`]), examples: [] };
      if (row.nulled > 0) {
        row.examples = await history.query<{ record: string; event_id: string }>(
          `SELECT record, event_id FROM ni_x WHERE schema = ? AND ${nulled(i + 1)} ORDER BY rid LIMIT ${MAX_EXAMPLES}`, [row.schema]);
      }
      rows.push(row);
    }
  }
  rows.sort((a, b) => a.path.localeCompare(b.path) || a.schema.localeCompare(b.schema));
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
