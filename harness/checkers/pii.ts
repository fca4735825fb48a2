/**
 * pii: no raw PII value reaches anything the SUT writes that a consumer can read. The values
 * are read from the inputs (params.piiFields, dotted paths into the JSON of every sent value)
 * and searched for in the key, the value and the headers of every record of every role
 * (records, late, aggregate, DLQ, bronze, sink rows and sink metadata). An output that declares
 * `keepsOriginalPayload` (a DLQ or bronze copy kept so a bad record can be replayed: access
 * control, not masking, protects it) has its value exempt, or only the part at the declared
 * JSON path; its key and headers are still searched. Without a declared SUT (an old run), DLQ
 * and bronze values are exempt as before. Values shorter than params.piiMinSubstringLength (default 6, e.g. a
 * card's last 4 digits) only count as a whole JSON string ("4821"): as a bare substring they
 * would match counts and timestamps. Matching is case-insensitive. Evidence never shows a raw
 * value: `j***@example.com`.
 */
import { DOMAINS } from '../../generators/domains/index.ts';
import type { DomainName } from '../../generators/options.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import { HarnessError } from '../errors.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, MAX_EXAMPLES, type Checker, type CheckResult } from './checker.ts';
import { sqlStrings, VALUE_TEXT } from './history-sql.ts';
import { sinkTopic } from '../sut/sut-config.ts';
import { charPresence, piiSearches } from './pii-search.ts';

export const PII_SCANNED_ROLES = ['records', 'late', 'aggregate', 'dlq', 'bronze', 'sink-metadata'] as const;
const DEFAULT_MIN_SUBSTRING = 6;
/** Texts read to choose each value's anchor (pii-search.ts): a choice of speed only, any sample is exact. */
const ANCHOR_SAMPLE = 2000;

/** `jane.doe@example.com` → `j***@example.com`; anything else keeps its first character (none if 4 or shorter). */
export function maskPii(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  return value.length <= 4 ? '*'.repeat(value.length) : `${value[0]}***`;
}

function jsonPath(field: string): string {
  const parts = field.split('.');
  if (parts.some((p) => p === '' || p.includes('"'))) {
    throw new HarnessError('CONFIG_INVALID', `checker.params.piiFields: '${field}' is not a dotted field path`);
  }
  return `$.${parts.map((p) => `"${p}"`).join('.')}`;
}


/** The SQL of a record value's searched text: without the original payload its output declares it keeps. */
function valueTextSql(params: CheckerParams): string {
  // Without a declaration (an old run), DLQ and bronze values are the original payload.
  const keeps: { on: string; part: string | true }[] = params.declared
    ? [...params.declared.topics.outputs, ...params.declared.sinks.map((s) => ({ ...s, name: sinkTopic(s.name) }))].flatMap((o) =>
        o.keepsOriginalPayload ? [{ on: `topic = ${sqlStrings([o.name])}`, part: o.keepsOriginalPayload }] : [],
      )
    : [{ on: `role IN ('dlq', 'bronze')`, part: true }];
  if (keeps.length === 0) return VALUE_TEXT;
  const when = keeps.map(({ on, part }) => {
    if (part === true) return `WHEN ${on} THEN NULL`;
    // Every leaf of the JSON value outside the declared part (its values are JSON text, strings quoted).
    // DuckDB may evaluate the subquery for rows the CASE does not select (a DLQ's malformed bytes): guard its input.
    const path = sqlStrings([part]);
    const outside = `(SELECT string_agg(t.value, ' ') FROM json_tree(CASE WHEN json_valid(${VALUE_TEXT}) THEN ${VALUE_TEXT} ELSE 'null' END) t WHERE t.type NOT IN ('OBJECT', 'ARRAY')
      AND t.fullkey <> ${path} AND NOT starts_with(t.fullkey, ${path} || '.') AND NOT starts_with(t.fullkey, ${path} || '['))`;
    return `WHEN ${on} AND json_valid(${VALUE_TEXT}) THEN coalesce(${outside}, '')`;
  });
  return `CASE ${when.join(' ')} ELSE ${VALUE_TEXT} END`;
}

interface Found {
  total: number;
  per_place: { place: string; records: number }[] | null;
  per_field: { field: string; records: number }[] | null;
  hits: { field: string; hit: string; records: number; first_record: string }[] | null;
}

/** The PII fields to look for: the SUT's or the caller's (params), else the ones the run's workload domain declares; undefined when unknown. */
export async function piiFieldsOf(history: HistoryReader, params: CheckerParams): Promise<readonly string[] | undefined> {
  return params.piiFields ?? params.declared?.checks.piiFields ?? (await workloadPiiFields(history));
}

/** The PII fields the run's workload domain declares (meta `scenario.workload.domain`: a built-in's name or a declared spec); undefined when unknown. */
async function workloadPiiFields(history: HistoryReader): Promise<readonly string[] | undefined> {
  const scenario = (await history.meta()).scenario as { workload?: { domain?: string | { pii?: string[] } } } | undefined;
  const domain = scenario?.workload?.domain;
  if (typeof domain === 'object' && domain !== null) return domain.pii ?? [];
  return domain !== undefined && Object.hasOwn(DOMAINS, domain) ? DOMAINS[domain as DomainName].piiFields : undefined;
}

export const piiChecker: Checker = {
  name: 'pii',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const fields = await piiFieldsOf(history, params);
    if (fields === undefined) return checkResult('pii', 'unknown', 'no PII fields to look for: set params.piiFields (the history names no known workload domain)', { skipped: 1 });
    if (fields.length === 0) return checkResult('pii', true, 'nothing to check: the workload has no PII fields', { skipped: 1 });
    const minLength = params.piiMinSubstringLength ?? DEFAULT_MIN_SUBSTRING;
    // One parse per sent value for all the fields. A TRY that fails in a chunk (a poison value: in every chunk)
    // evaluates that chunk row by row (4x slower), so only values not sent as poison meet it; poison values are parsed twice.
    const paths = `[${sqlStrings(fields.map(jsonPath))}]`;
    const values = await history.query<{ field: string; v: string }>(`
      SELECT DISTINCT field, v FROM (
        SELECT unnest([${sqlStrings(fields)}]) AS field,
          unnest(CASE WHEN truth <> 'poison' THEN TRY(json_extract_string(txt, ${paths})) WHEN json_valid(txt) THEN json_extract_string(txt, ${paths}) END) AS v
        FROM (SELECT truth, TRY(decode(value)) AS txt FROM sends))
      WHERE v IS NOT NULL AND v <> ''
      ORDER BY field, v`);
    // one field per value (lower-cased: matching ignores case)
    const fieldOf = new Map<string, { field: string; value: string }>();
    for (const { field, v } of values) if (!fieldOf.has(v.toLowerCase())) fieldOf.set(v.toLowerCase(), { field, value: v });
    const counts: Record<string, number> = { piiValues: fieldOf.size, leakedRecords: 0 };
    for (const field of fields) counts[`leaked.${field}`] = 0;
    if (fieldOf.size === 0) return checkResult('pii', 'unknown', `no values of ${fields.join(', ')} found in the inputs`, counts);

    // Every text searched: a record's value (without any part it declares original), key and headers; `limit` bounds each part.
    // Three scans, not a CTE read three times, which DuckDB would materialize, values and all (~1 s at 1M records).
    const scanned = `FROM observed WHERE role IN (${sqlStrings(PII_SCANNED_ROLES)})`;
    const textsOf = (limit: string) => [[`'value'`, valueTextSql(params)], [`'key'`, 'to_json(key)::VARCHAR'], [`'headers'`, 'headers::VARCHAR']]
      .map(([place, txt]) => `(SELECT role, topic, partition, "offset", ${place} AS place, txt FROM (SELECT *, ${txt} AS txt ${scanned}) WHERE txt IS NOT NULL ${limit})`)
      .join(' UNION ALL ');
    // Each field's values in groups behind a guard (pii-search.ts), at most 300 per regex; a regex holds one field's values, so that each field's leaks are counted on their own.
    // The anchors come from a few records (any sample is exact; a representative one is faster).
    const sample = await history.query<{ txt: string }>(textsOf(`LIMIT ${ANCHOR_SAMPLE / 2}`));
    const searches = piiSearches([...fieldOf.values()].map(({ field, value }) => ({ field, value, short: value.length < minLength })), charPresence(sample.map((r) => r.txt)));
    const regexes = searches.flatMap(({ field, guard, regexes: res }) => res.map((re) => ({ field, re, guard })));
    const named = Object.fromEntries(regexes.map(({ re }, i) => [`re${i}`, re]));
    // A text meets a group's regexes only past its guard, once per group (DuckDB evaluates an AND's right side only where its left holds).
    let next = 0;
    const test = searches.map(({ guard, regexes: res }) => {
      const any = `(${res.map(() => `regexp_matches(txt, $re${next++})`).join(' OR ')})`;
      return guard === null ? any : `(${guard} AND ${any})`;
    });
    const hit = regexes.map(({ guard }, i) => (guard === null ? `regexp_extract(txt, $re${i})` : `CASE WHEN ${guard} THEN regexp_extract(txt, $re${i}) ELSE '' END`));
    const [found] = (await history.query<Found>(`
      WITH t AS (${textsOf('')}),
      m AS (
        SELECT DISTINCT role || ' ' || topic || '/' || partition || '/' || "offset" AS record, place, [${hit.join(', ')}] AS hits
        FROM t WHERE ${test.join(' OR ')}),
      v AS (
        SELECT record, place, hit, field FROM (SELECT record, place, unnest(hits) AS hit, unnest([${sqlStrings(regexes.map((r) => r.field))}]) AS field FROM m)
        WHERE hit <> ''),
      per_hit AS (SELECT field, hit, count(DISTINCT record)::INTEGER AS records, min(record || ' ' || place) AS first_record FROM v GROUP BY field, hit)
      SELECT (SELECT count(DISTINCT record) FROM m) AS total,
        (SELECT list({'place': place, 'records': records}) FROM (SELECT place, count(DISTINCT record)::INTEGER AS records FROM m GROUP BY place)) AS per_place,
        (SELECT list({'field': field, 'records': records}) FROM (SELECT field, count(DISTINCT record)::INTEGER AS records FROM v GROUP BY field)) AS per_field,
        (SELECT list({'field': field, 'hit': hit, 'records': records, 'first_record': first_record} ORDER BY records DESC, first_record)[1:50] FROM per_hit) AS hits`,
      named)) as [Found];

    counts.leakedRecords = found.total;
    for (const { place, records } of found.per_place ?? []) counts[`leaked.in.${place}`] = records;
    for (const { field, records } of found.per_field ?? []) counts[`leaked.${field}`] = records;
    // evidence: the most frequent leaks, taking each leaking field in turn
    const examples: unknown[] = [];
    const queues = fields.map((f) => (found.hits ?? []).filter((h) => h.field === f));
    while (examples.length < MAX_EXAMPLES && queues.some((q) => q.length > 0)) {
      for (const queue of queues) {
        const hit = queue.shift();
        if (!hit || examples.length >= MAX_EXAMPLES) continue;
        const raw = hit.hit.length >= 2 && hit.hit.startsWith('"') && hit.hit.endsWith('"') && !fieldOf.has(hit.hit.toLowerCase()) ? hit.hit.slice(1, -1) : hit.hit;
        examples.push({ field: hit.field, value: maskPii(fieldOf.get(raw.toLowerCase())?.value ?? raw), record: hit.first_record, records: hit.records });
      }
    }
    if (counts.leakedRecords! > 0) {
      const byField = fields.filter((f) => counts[`leaked.${f}`]! > 0).map((f) => `${f} in ${counts[`leaked.${f}`]}`).join(', ');
      const byPlace = (found.per_place ?? []).map((p) => `${p.records} in ${p.place === 'value' ? 'values' : p.place === 'key' ? 'keys' : 'headers'}`).join(', ');
      return checkResult('pii', false, `raw PII in ${counts.leakedRecords} published records (${byField}; ${byPlace})`, counts, examples);
    }
    return checkResult('pii', true, `none of ${fieldOf.size} PII values (${fields.join(', ')}) in the keys, values or headers of any output or sink`, counts);
  },
};
