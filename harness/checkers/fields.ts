/**
 * fields: field fidelity. Every record of an output (or records sink) that declares `fields`
 * is compared with its input event (the first copy in the input topics, joined by the declared
 * identity). Fields are leaves by dotted path: objects are walked, arrays compared whole, and a
 * JSON null counts as absent. Per declared relation:
 *
 * - carried: present with the input's value (numbers compare as numbers), absent when the input lacks it;
 * - masked: present and not the input's value;
 * - dropped: absent;
 * - `{sql}`: the value of the expression over the input's row in `inputs` (within `tolerance`);
 * - added: any value; ignored: not judged.
 *
 * A path takes the relation of its longest declared prefix; `*` is that of every other field
 * (so with `*: carried`, an output field that is neither in the input nor declared is
 * unexpected). Schema versions need no declaration: each record is compared with its own input,
 * so a field added in v2 must survive for v2 inputs. A carried field absent from outputs whose
 * input had it is null inflation, reported per field with its rate. Outputs without an input
 * event (phantoms) are the conservation checker's; values in the evidence are masked when the
 * field is a PII field.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { declaredFieldMaps, fieldQuery, type FieldMap, type FieldRelation } from '../sut/sut-config.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, MAX_EXAMPLES, skippedResult, type Checker, type CheckResult } from './checker.ts';
import { eventIdOf } from './declared-sut.ts';
import { sqlStrings } from './history-sql.ts';
import { leavesOf, pairOutputs } from './output-pairs.ts';
import { rowidSlices } from './rowid-slices.ts';
import { createInputsView, inputsStructure } from './inputs-view.ts';
import { jsonPathOf, jsonStructureOf, structureLeaves } from './json-structure.ts';
import { maskPii, piiFieldsOf } from './pii.ts';

const FIELD_PROBLEMS = ['missing', 'changed', 'unexpected', 'unmasked', 'kept'] as const;
type Problem = (typeof FIELD_PROBLEMS)[number];

const PROBLEM_TEXT: Record<Problem, string> = {
  missing: 'missing (null inflation)',
  changed: 'changed',
  unexpected: 'unexpected',
  unmasked: 'not masked',
  kept: 'kept though dropped',
};

/** The relation of a leaf: its longest declared prefix, else `*`, else ignored. */
export function relationOf(fields: FieldMap, leaf: string): FieldRelation {
  const parts = leaf.split('.');
  for (let n = parts.length; n > 0; n--) {
    const relation = fields[parts.slice(0, n).join('.')];
    if (relation !== undefined) return relation;
  }
  return fields['*'] ?? 'ignored';
}

const NUMERIC = `('BIGINT', 'UBIGINT', 'DOUBLE')`;
/** Two JSON values equal: numbers by value (within tol), strings by text, anything else as minified JSON. */
const equalSql = (at: string, a: string, bt: string, b: string, tol: string) => `CASE
  WHEN ${at} IN ${NUMERIC} AND ${bt} IN ${NUMERIC} THEN abs(${a}::DOUBLE - ${b}::DOUBLE) <= greatest(${tol}, 1e-9 * greatest(abs(${a}::DOUBLE), 1))
  WHEN ${at} = 'VARCHAR' AND ${bt} = 'VARCHAR' THEN json_extract_string(${a}, '$') = json_extract_string(${b}, '$')
  ELSE json(${a})::VARCHAR = json(${b})::VARCHAR END`;

interface FieldRow {
  path: string;
  relation: string;
  inputs: number;
  outputs: number;
  problems: Record<Problem, number>;
  examples: { record: string; event_id: string; problem: Problem; input: string | null; output: string | null }[] | null;
}

type Judged = [path: string, relation: Exclude<FieldRelation, 'ignored' | 'added'>];

/** Pairs judged per statement: one statement's extracted values are materialized at once (all 10M pairs: 24 s, spilling). */
const PAIRS_PER_SLICE = 1_000_000;

/**
 * The problem of one field of one pair: SQL over the expected value `ev` (JSON type `et`), the
 * output's `ov` (`ot`), the relation and tolerance. Nested CASEs, because DuckDB evaluates a
 * CASE branch only for the rows that reach it (an AND or OR evaluates both sides): the typed
 * comparison, a json_type of each side, runs only where the minified texts differ (equal texts
 * are equal values under every rule of equalSql).
 */
const problemSql = (relation: string, et: string, ev: string, ot: string, ov: string, tol: string) => `CASE
  WHEN ${ev} IS NULL THEN CASE WHEN ${ov} IS NULL THEN NULL WHEN ${relation} IN ('carried', 'sql') THEN 'unexpected' WHEN ${relation} = 'dropped' THEN 'kept' END
  WHEN ${ov} IS NULL THEN CASE WHEN ${relation} IN ('carried', 'sql', 'masked') THEN 'missing' END
  WHEN ${relation} = 'dropped' THEN 'kept'
  WHEN ${relation} IN ('carried', 'sql') THEN CASE WHEN ${ev}::VARCHAR = ${ov}::VARCHAR THEN NULL WHEN NOT (${equalSql(et, ev, ot, ov, tol)}) THEN 'changed' END
  WHEN ${relation} = 'masked' THEN CASE WHEN ${ev}::VARCHAR = ${ov}::VARCHAR THEN 'unmasked' WHEN ${equalSql(et, ev, ot, ov, '0')} THEN 'unmasked' END
END`;

const literal = (r: Judged[1]) => sqlStrings([typeof r === 'object' ? 'sql' : r]);
const toleranceOf = (r: Judged[1]) => (typeof r === 'object' ? r.tolerance : 0);
/** The judged relations of `paths`, derived fields (`{sql}`) added: a path takes its longest declared prefix. */
function judgedOf(fields: FieldMap, paths: Iterable<string>): Judged[] {
  const relations = new Map<string, FieldRelation>([...paths].map((p) => [p, relationOf(fields, p)]));
  for (const [path, r] of Object.entries(fields)) if (typeof r === 'object') relations.set(path, r);
  return [...relations].filter((e): e is Judged => e[1] !== 'ignored' && e[1] !== 'added').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Every judged field of every pair in one pass (the default): each side parsed once by a
 * json_extract of the paths its structure lists (a JSON null or `{}` counts as absent), the
 * derived values joined by event, one problem per field, counted per field in one aggregate.
 * Undefined where the structures cannot stand for a walk of every leaf (a key json_tree would
 * name otherwise, or an object where a structure ends: clashing types), and `walked` judges.
 */
async function judgedInOnePass(history: HistoryReader, fields: FieldMap, inStructure: unknown, outStructure: unknown): Promise<FieldRow[] | undefined> {
  const sides = [structureLeaves(inStructure), structureLeaves(outStructure)];
  if (sides.some((leaves) => leaves.length === 0 || leaves.some((l) => l.parts.some((k) => k === '' || /[.["\\]/.test(k))))) return undefined;
  const judged = judgedOf(fields, new Set(sides.flat().map((l) => l.parts.join('.'))));
  if (judged.length === 0) return [];
  const json = (path: string) => sqlStrings([jsonPathOf(path.split('.'))]);
  const derived = judged.flatMap(([path, r], k) => (typeof r === 'object' ? [{ k, path, sql: r.sql }] : []));
  const ks = judged.map((_, k) => k);
  // One column per field and side; x MATERIALIZED so that its two json_extract run once per pair, whatever the optimizer inlines.
  const absentAsNull = (v: string) => `CASE WHEN ${v}::VARCHAR NOT IN ('null', '{}') THEN ${v} END`;
  const object = (v: string) => `(starts_with(${v}::VARCHAR, '{') AND ${v}::VARCHAR <> '{}')`; // json_extract gives minified text
  const paths = `[${judged.map(([path]) => json(path)).join(', ')}]`;
  /** The expected (e_k) and output (o_k) value of every judged field of the pairs `where` selects, and whether any is an object (`nested`). */
  const valuesOf = (where: string) => `
    WITH x AS MATERIALIZED (SELECT p.rid, json_extract(p.in_txt, ${paths}) AS i, json_extract(p.out_txt, ${paths}) AS o${derived.map(({ k }) => `, d${k}.v AS d${k}`).join('')} FROM fid_pairs p
      ${derived.map(({ k }) => `LEFT JOIN fid_derived${k} d${k} ON d${k}.sp_event_id = p.event_id`).join('\n      ')}
      WHERE ${where}),
    y AS (SELECT rid, ${ks.map((k) => `i[${k + 1}] AS i${k}, o[${k + 1}] AS o${k}`).join(', ')}${derived.map(({ k }) => `, d${k}`).join('')} FROM x)
    SELECT rid, ${ks.map((k) => `${object(`i${k}`)} OR ${object(`o${k}`)}`).join(' OR ')} AS nested,
      ${ks.map((k) => `${typeof judged[k]![1] === 'object' ? `to_json(d${k})` : absentAsNull(`i${k}`)} AS e${k}, ${absentAsNull(`o${k}`)} AS o${k}`).join(',\n      ')}
    FROM y`;
  // Only what the counts need is kept per pair (whether each side has the field, and its problem): at 10M pairs the values
  // themselves, kept as a second wide table, outgrew the memory and spilled (30 s); the examples' values are extracted again.
  const problems = (where: string) => `WITH s AS (${valuesOf(where)})
    SELECT rid, nested, ${judged.map(([, r], k) =>
    `e${k} IS NOT NULL AS has_e${k}, o${k} IS NOT NULL AS has_o${k}, ${problemSql(literal(r), `json_type(e${k})`, `e${k}`, `json_type(o${k})`, `o${k}`, `${toleranceOf(r)}::DOUBLE`)} AS p${k}`).join(',\n    ')} FROM s`;
  // The derived values once (not once per slice), then slice by slice of the pairs, so that the materialized values of one slice at a time are held.
  for (const { k, sql } of derived) await history.query(`CREATE OR REPLACE TEMP TABLE fid_derived${k} AS ${fieldQuery(sql)}`);
  for (const [i, slice] of (await rowidSlices(history, 'fid_pairs', PAIRS_PER_SLICE, 'p.rowid')).entries()) {
    await history.query(i === 0 ? `CREATE OR REPLACE TEMP TABLE fid_problems AS ${problems(slice)}` : `INSERT INTO fid_problems ${problems(slice)}`);
  }
  const [{ nested }] = (await history.query<{ nested: boolean }>('SELECT coalesce(bool_or(nested), false) AS nested FROM fid_problems')) as [{ nested: boolean }];
  if (nested) return undefined;
  const [totals] = (await history.query<Record<string, number>>(`SELECT ${ks.map((k) => [
    `count(*) FILTER (WHERE has_e${k})::INTEGER AS in_${k}`, `count(*) FILTER (WHERE has_o${k})::INTEGER AS out_${k}`,
    ...FIELD_PROBLEMS.map((p) => `count(*) FILTER (WHERE p${k} = '${p}')::INTEGER AS ${p}_${k}`)].join(', ')).join(',\n    ')} FROM fid_problems`)) as [Record<string, number>];
  const rows: FieldRow[] = [];
  for (const [k, [path, r]] of judged.entries()) {
    if (totals[`in_${k}`]! + totals[`out_${k}`]! === 0) continue;
    const problems = Object.fromEntries(FIELD_PROBLEMS.map((p) => [p, totals[`${p}_${k}`]!])) as Record<Problem, number>;
    const firsts = `p.rid IN (SELECT rid FROM fid_problems WHERE p${k} IS NOT NULL ORDER BY rid LIMIT ${MAX_EXAMPLES})`;
    const examples = Object.values(problems).some((n) => n > 0)
      ? await history.query<NonNullable<FieldRow['examples']>[number]>(`WITH s AS (${valuesOf(firsts)})
          SELECT p.record, p.event_id, w.p${k} AS problem, s.e${k}::VARCHAR AS input, s.o${k}::VARCHAR AS output
          FROM s JOIN fid_problems w USING (rid) JOIN fid_pairs p USING (rid) ORDER BY rid`)
      : null;
    rows.push({ path, relation: typeof r === 'object' ? 'sql' : r, inputs: totals[`in_${k}`]!, outputs: totals[`out_${k}`]!, problems, examples });
  }
  return rows;
}

/** The same rows as `judgedInOnePass`, from every leaf of either side as json_tree walks them, joined by pair and path. */
async function walked(history: HistoryReader, fields: FieldMap): Promise<FieldRow[]> {
  for (const [table, column] of [['fid_in', 'in_txt'], ['fid_out', 'out_txt']] as const) await history.query(`CREATE OR REPLACE TEMP TABLE ${table} AS ${leavesOf(column)}`);
  const paths = (await history.query<{ path: string }>('SELECT DISTINCT path FROM fid_in UNION SELECT DISTINCT path FROM fid_out')).map((r) => r.path);
  const judged = judgedOf(fields, paths);
  if (judged.length === 0) return [];
  // expected values: the input's, or the derived expression's
  await history.query(`CREATE OR REPLACE TEMP TABLE fid_rel AS SELECT * FROM (VALUES ${judged.map(([p, r]) => `(${sqlStrings([p])}, ${literal(r)}, ${toleranceOf(r)}::DOUBLE)`).join(', ')}) t(path, relation, tol)`);
  await history.query('CREATE OR REPLACE TEMP TABLE fid_expected AS SELECT rid, path, type, value FROM fid_in WHERE path IN (SELECT path FROM fid_rel WHERE relation <> \'sql\')');
  for (const [path, r] of judged) {
    if (typeof r !== 'object') continue;
    await history.query(`INSERT INTO fid_expected SELECT p.rid, ${sqlStrings([path])}, json_type(to_json(e.v)), to_json(e.v)
      FROM fid_pairs p JOIN (${fieldQuery(r.sql)}) e ON e.sp_event_id = p.event_id WHERE e.v IS NOT NULL`);
  }
  return history.query<FieldRow>(`
    WITH j AS (
      SELECT coalesce(e.rid, o.rid) AS rid, coalesce(e.path, o.path) AS path, e.type AS et, e.value AS ev, o.type AS ot, o.value AS ov
      FROM fid_expected e FULL OUTER JOIN fid_out o ON e.rid = o.rid AND e.path = o.path),
    c AS (SELECT j.*, rel.relation, ${problemSql('rel.relation', 'et', 'ev', 'ot', 'ov', 'rel.tol')} AS problem FROM j JOIN fid_rel rel USING (path))
    SELECT path, any_value(relation) AS relation,
      count(ev)::INTEGER AS inputs, count(ov)::INTEGER AS outputs,
      {${FIELD_PROBLEMS.map((p) => `'${p}': count(*) FILTER (WHERE problem = '${p}')::INTEGER`).join(', ')}} AS problems,
      (list({'record': p.record, 'event_id': p.event_id, 'problem': problem, 'input': ev::VARCHAR, 'output': ov::VARCHAR} ORDER BY c.rid) FILTER (WHERE problem IS NOT NULL))[1:${MAX_EXAMPLES}] AS examples
    FROM c JOIN fid_pairs p USING (rid)
    GROUP BY path ORDER BY path`);
}

/** One declared output: the per-field verdict rows (`walk`: by json_tree, what tests hold the one-pass judgement to). */
export async function judgeSource(history: HistoryReader, params: CheckerParams, source: string, role: string, fields: FieldMap, walk = false): Promise<{ pairs: number; outputs: number; rows: FieldRow[] }> {
  await pairOutputs(history, eventIdOf(params), source, role);
  const [{ pairs, outputs }] = (await history.query<{ pairs: number; outputs: number }>(`SELECT (SELECT count(*) FROM fid_pairs)::INTEGER AS pairs,
    (SELECT count(*) FROM (SELECT DISTINCT partition, "offset" FROM observed WHERE topic = ${sqlStrings([source])} AND role = ${sqlStrings([role])}))::INTEGER AS outputs`)) as [{ pairs: number; outputs: number }];
  if (pairs === 0) return { pairs, outputs, rows: [] };
  const outStructure = walk ? undefined : await jsonStructureOf(history, 'out_txt', 'fid_pairs');
  const onePass = walk ? undefined : await judgedInOnePass(history, fields, await inputsStructure(history), outStructure ? JSON.parse(outStructure) : null);
  return { pairs, outputs, rows: onePass ?? (await walked(history, fields)) };
}

/** A value for the evidence: PII masked, long text cut. */
function shown(value: string | null, pii: boolean): string | null {
  if (value === null) return null;
  const text = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  if (pii) return maskPii(text);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export const fieldsChecker: Checker = {
  name: 'fields',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const sources = params.declared ? declaredFieldMaps(params.declared) : [];
    if (sources.length === 0) return skippedResult('fields', 'no output declares how its fields relate to its input (`fields`)');
    if ((await createInputsView(history)) === 0) return checkResult('fields', 'unknown', 'the input topics were not read back: the inputs to compare with are unknown', {});
    // PII values are hidden in examples: the declared PII fields, else the workload domain's.
    const pii = new Set((await piiFieldsOf(history, params)) ?? []);
    const counts: Record<string, number> = { records: 0, compared: 0 };
    const problems: string[] = [];
    const examples: unknown[] = [];
    for (const { source, role, fields } of sources) {
      const { pairs, outputs, rows } = await judgeSource(history, params, source, role, fields);
      counts.records! += outputs;
      counts.compared! += pairs;
      counts[`${source}: compared`] = pairs;
      for (const row of rows) {
        for (const problem of FIELD_PROBLEMS) {
          const n = row.problems[problem];
          if (n === 0) continue;
          counts[`${source} ${row.path}: ${problem}`] = n;
          counts[problem] = (counts[problem] ?? 0) + n;
          const base = problem === 'unexpected' ? row.outputs : row.inputs;
          problems.push(`${source} ${row.path} ${PROBLEM_TEXT[problem]} in ${n} of ${base} records (${((100 * n) / Math.max(base, 1)).toFixed(1)}%)`);
        }
        for (const e of row.examples ?? []) {
          examples.push({ copy: source, field: row.path, problem: e.problem, record: e.record, event_id: e.event_id, input: shown(e.input, pii.has(row.path)), output: shown(e.output, pii.has(row.path)) });
        }
      }
    }
    if (counts.compared === 0) return checkResult('fields', 'unknown', `no output record with a declared field map could be paired with a JSON input event (${counts.records} records)`, counts);
    if (problems.length > 0) {
      // one example per problem line first, so that each kind of mistake shows
      const firsts = [...new Map(examples.map((e) => [`${(e as { copy: string }).copy} ${(e as { field: string }).field}`, e])).values()];
      return checkResult('fields', false, problems.slice(0, 6).join('; ') + (problems.length > 6 ? `; and ${problems.length - 6} more` : ''), counts, [...firsts, ...examples.filter((e) => !firsts.includes(e))]);
    }
    return checkResult('fields', true, `every field of ${counts.compared} output records is as declared against its input (${sources.map((s) => s.source).join(', ')})`, counts);
  },
};
