/**
 * The SQL of the aggregates checker (aggregates.ts says what it decides). Column names come
 * from a validated SUT file (identifiers only); topics are quoted.
 */
import type { AggregateSpec, Column } from '../sut/sut-config.ts';
import { MAX_EXAMPLES } from './checker.ts';
import { DR_OFFSET_BASE } from '../drill/drill-meta.ts';

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name}"`;

/** A key cell as text that compares equal across JSON and SQL types: numbers by value, the rest as text. */
const norm = (x: string) => `coalesce(CAST(TRY_CAST(${x} AS DOUBLE) AS VARCHAR), CAST(${x} AS VARCHAR), '∅')`;

function cell(c: Column): string {
  if (c.from === 'key') return c.path === '$' ? 'key' : `CASE WHEN json_valid(key) THEN json_extract_string(key, ${quote(c.path)}) END`;
  return `CASE WHEN json_valid(txt) THEN json_extract_string(txt, ${quote(c.path)}) END`;
}

const keyText = (spec: AggregateSpec, col: (c: Column) => string) => `concat_ws('|', ${spec.keys.map((k) => norm(col(k))).join(', ')})`;

/**
 * The unit within which a later emitted window proves an earlier one closed (see aggregates.ts):
 * Spark's watermark is one for the whole query; under the other models each instance, task or
 * subtask has its own, and which one a key lives on is not visible, so only a later window of
 * the same key (the key columns but the window start) proves it.
 */
function unitText(spec: AggregateSpec, col: (c: Column) => string): string {
  if (!spec.window || spec.window.watermark === 'global-max-minus-delay') return "''";
  const others = spec.keys.filter((k) => k.name !== spec.window!.startColumn);
  return others.length === 0 ? "''" : `concat_ws('|', ${others.map((k) => norm(col(k))).join(', ')})`;
}

const windowEnd = (spec: AggregateSpec, col: (c: Column) => string) =>
  spec.window ? `TRY_CAST(${col(spec.keys.find((k) => k.name === spec.window!.startColumn)!)} AS DOUBLE) + ${spec.window.sizeMs}` : 'NULL::DOUBLE';

/** The SUT's rows of `source` in `role` (distinct records, first seen at observed_us), keyed and with numeric values. */
export function emittedRowsSql(spec: AggregateSpec, source: string, role = 'aggregate'): string {
  const values = spec.values.map((v, i) => `TRY_CAST(${cell(v)} AS DOUBLE) AS v${i}`).join(', ');
  return `
SELECT topic || '/' || partition || '/' || "offset" AS record, partition, "offset", ${keyText(spec, cell)} AS k,
  ${unitText(spec, cell)} AS unit, ${windowEnd(spec, cell)} AS wend, ${values}, txt, observed_us
FROM (SELECT topic, partition, "offset", any_value(key) AS key, any_value(TRY(decode(value))) AS txt, min(observed_us) AS observed_us FROM observed
      WHERE role = ${quote(role)} AND topic = ${quote(source)} AND value IS NOT NULL GROUP BY topic, partition, "offset")`;
}

/** Temp table `emitted`: emittedRowsSql's rows. */
export function emittedSql(spec: AggregateSpec, source: string, role = 'aggregate'): string {
  return `CREATE OR REPLACE TEMP TABLE emitted AS ${emittedRowsSql(spec, source, role)}`;
}

/** Temp table `<name>`: the oracle's rows over the current `inputs` view, keyed like `emitted`. */
export function expectedSql(spec: AggregateSpec, name: string): string {
  const col = (c: Column) => `o.${ident(c.name)}`;
  const values = spec.values.map((v, i) => `TRY_CAST(${col(v)} AS DOUBLE) AS v${i}`).join(', ');
  return `
CREATE OR REPLACE TEMP TABLE ${name} AS
SELECT ${keyText(spec, col)} AS k, ${unitText(spec, col)} AS unit, ${windowEnd(spec, col)} AS wend, ${values}
FROM (${spec.oracle}) o`;
}

/**
 * The judgement: per key the SUT's value (final: every distinct value; updates: the last one)
 * against [low, high] = the oracle over certainly-on-time events and over those plus the events
 * in doubt, widened by each column's tolerance.
 */
export function judgeSql(spec: AggregateSpec, exactlyOnce: boolean, secondCopy = false): string {
  const n = spec.values.length;
  const idx = [...Array(n).keys()];
  const pick = spec.emission === 'updates'
    ? `SELECT DISTINCT ON (k) * FROM emitted ORDER BY k, partition DESC, "offset" DESC`
    : `SELECT * FROM emitted`;
  const distinctValues = `list(DISTINCT [${idx.map((i) => `v${i}`).join(', ')}])`;
  const lo = (i: number) => `least(lo.v${i}, hi.v${i}) - ${spec.values[i]!.tolerance}`;
  const hi = (i: number) => `greatest(lo.v${i}, hi.v${i}) + ${spec.values[i]!.tolerance}`;
  const below = idx.map((i) => `(lo.k IS NOT NULL AND (r.v${i} IS NULL OR r.v${i} < ${lo(i)}))`).join(' OR ');
  const above = idx.map((i) => `(r.v${i} IS NULL OR r.v${i} > ${hi(i)})`).join(' OR ');
  const got = `{${spec.values.map((v, i) => `${quote(v.name)}: r.v${i}`).join(', ')}}`;
  const want = (t: string) => `CASE WHEN ${t}.k IS NULL THEN NULL ELSE {${spec.values.map((v, i) => `${quote(v.name)}: ${t}.v${i}`).join(', ')}} END`;
  const closed = spec.emission === 'updates' || !spec.window ? 'true' : `e.wend <= coalesce((SELECT max(wend) FROM emitted m WHERE m.unit = e.unit), -1e300)`;
  const ex = MAX_EXAMPLES;
  return `
WITH judged_rows AS (${pick}),
per_key AS (SELECT k, count(*) AS records, ${distinctValues} AS vals, min(record) AS record FROM emitted GROUP BY k),
-- A drill's two copies (DR site, rebuild: drill-meta.ts) each on its own: one value per copy but another in each is explained.
per_site AS (SELECT k, ${distinctValues} AS vals FROM emitted GROUP BY k${secondCopy ? `, "offset" >= ${DR_OFFSET_BASE}` : ''}),
j AS (
  SELECT r.*, lo.k IS NOT NULL OR hi.k IS NOT NULL AS expected, (lo.k IS NULL) <> (hi.k IS NULL)
    OR ${idx.map((i) => `lo.v${i} IS DISTINCT FROM hi.v${i}`).join(' OR ')} AS in_doubt,
    ${below} AS too_low, ${above} AS too_high, ${want('lo')} AS low, ${want('hi')} AS high, ${got} AS got
  FROM judged_rows r LEFT JOIN expected_low lo USING (k) LEFT JOIN expected_high hi USING (k)),
missing AS (
  SELECT e.* FROM expected_low e WHERE NOT EXISTS (SELECT 1 FROM emitted m WHERE m.k = e.k) AND ${closed}),
not_closed AS (
  SELECT e.* FROM expected_low e WHERE NOT EXISTS (SELECT 1 FROM emitted m WHERE m.k = e.k) AND NOT (${closed})),
bad AS (
  SELECT *, CASE WHEN NOT expected THEN 'extra' WHEN too_low THEN 'too low' WHEN too_high THEN 'too high' END AS problem
  FROM j WHERE NOT expected OR too_low OR (too_high AND ${exactlyOnce})),
overcounted AS (SELECT * FROM j WHERE expected AND too_high AND NOT too_low AND NOT ${exactlyOnce}),
conflicts AS (SELECT * FROM per_key WHERE k IN (SELECT k FROM per_site WHERE len(vals) > 1))
SELECT
  (SELECT count(*) FROM emitted)::INTEGER AS records,
  (SELECT count(DISTINCT k) FROM emitted)::INTEGER AS keys,
  (SELECT count(*) FROM emitted WHERE ${idx.map((i) => `v${i} IS NULL`).join(' OR ')})::INTEGER AS unparsed,
  (SELECT count(*) FROM expected_low)::INTEGER AS expected_certain,
  (SELECT count(*) FROM expected_high)::INTEGER AS expected_possible,
  (SELECT count(DISTINCT k) FROM j WHERE expected AND NOT in_doubt)::INTEGER AS exact_keys,
  (SELECT count(DISTINCT k) FROM j WHERE expected AND in_doubt)::INTEGER AS doubt_keys,
  (SELECT count(DISTINCT k) FROM bad WHERE problem = 'extra')::INTEGER AS extra,
  (SELECT count(DISTINCT k) FROM bad WHERE problem <> 'extra')::INTEGER AS wrong,
  (SELECT count(DISTINCT k) FROM overcounted)::INTEGER AS overcounted,
  (SELECT count(*) FROM missing)::INTEGER AS missing,
  (SELECT count(*) FROM not_closed)::INTEGER AS not_closed,
  (SELECT count(*) FROM conflicts)::INTEGER AS conflicting,
  (SELECT count(*) FROM per_key WHERE len(vals) > 1 AND k NOT IN (SELECT k FROM conflicts))::INTEGER AS conflicting_across_sites,
  (SELECT to_json(list({'problem': problem, 'key': k, 'record': record, 'got': got, 'low': low, 'high': high} ORDER BY k)[1:${ex}]) FROM bad) AS bad_examples,
  (SELECT to_json(list({'problem': 'missing', 'key': k} ORDER BY k)[1:${ex}]) FROM missing) AS missing_examples,
  (SELECT to_json(list({'problem': 're-emitted with another value', 'key': k, 'records': records, 'values': vals[1:3]} ORDER BY k)[1:${ex}]) FROM conflicts) AS conflict_examples`;
}
