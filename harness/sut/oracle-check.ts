/**
 * Oracle SQL (and the SQL of derived fields) is checked before anything starts: at load, DuckDB must parse it as one SELECT
 * (`checkOracleSyntax`); at run start, it must bind against an `inputs` view built from sample
 * events of the run's workload and produce the declared key and value columns
 * (`checkOracleBinding`). Either failure is CONFIG_INVALID (exit 64) naming the file and path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createInputsView } from '../checkers/inputs-view.ts';
import { HarnessError } from '../errors.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { fieldQuery, type AggregateSpec, type FieldMap, type SutConfig } from './sut-config.ts';

interface Query {
  at: string;
  sql: string;
  /** The columns its rows must have (an oracle's keys and values). */
  columns: string[];
  what: string;
}

const oracle = (at: string, spec: AggregateSpec): Query => ({ at: `${at}.aggregate.oracle`, sql: spec.oracle, columns: [...spec.keys, ...spec.values].map((c) => c.name), what: 'the oracle' });

const derived = (at: string, fields: FieldMap | undefined): Query[] =>
  Object.entries(fields ?? {}).flatMap(([path, r]) =>
    typeof r === 'object' ? [{ at: `${at}.fields.${path}.sql`, sql: fieldQuery(r.sql), columns: ['v'], what: 'the field expression' }] : []);

/** Every oracle and derived-field expression of a SUT, as a query over `inputs`, with its path inside the file. */
function queries(sut: SutConfig): Query[] {
  return [
    ...sut.topics.outputs.flatMap((o, i) => [...(o.aggregate ? [oracle(`topics.outputs[${i}]`, o.aggregate)] : []), ...derived(`topics.outputs[${i}]`, o.fields)]),
    ...sut.sinks.flatMap((s, i) => [...(s.aggregate ? [oracle(`sinks[${i}]`, s.aggregate)] : []), ...derived(`sinks[${i}]`, s.fields)]),
  ];
}

const rejected = (file: string, q: Query, why: string) => new HarnessError('CONFIG_INVALID', `${file}.${q.at}: DuckDB rejects ${q.what}: ${why.split('\n')[0]}`);

export async function checkOracleSyntax(sut: SutConfig, file: string): Promise<void> {
  const all = queries(sut);
  if (all.length === 0) return;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const q of all) {
      // json_serialize_sql takes a constant only: the text goes in as a quoted literal.
      const reader = await connection.runAndReadAll(`SELECT json_serialize_sql('${q.sql.replaceAll("'", "''")}')::VARCHAR AS j`);
      const parsed = JSON.parse(String(reader.getRowObjects()[0]!.j)) as { error: boolean; error_message?: string; statements?: unknown[] };
      if (parsed.error) throw rejected(file, q, parsed.error_message ?? 'not a SELECT statement');
      if ((parsed.statements ?? []).length !== 1) throw rejected(file, q, `expected one SELECT statement, got ${(parsed.statements ?? []).length}`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A sample input for the binding check: what the run's workload will send (value, event time). */
export interface SampleInput {
  eventId: string;
  key: string | null;
  value: Buffer;
  eventTimeMs: number | null;
  truth: 'valid' | 'poison' | (string & {});
}

/** Binds every oracle against `inputs` built from the samples; the declared columns must all be there. */
export async function checkOracleBinding(sut: SutConfig, file: string, samples: readonly SampleInput[]): Promise<void> {
  const all = queries(sut);
  if (all.length === 0) return;
  const dir = await mkdtemp(join(tmpdir(), 'streamproof-oracle-'));
  try {
    const path = join(dir, 'sample.duckdb');
    const writer = await HistoryWriter.open(path);
    samples.forEach((s, i) => {
      writer.recordSend({ sendId: i, eventId: s.eventId, key: s.key, topic: 'input', partition: 0, offset: i, outcome: 'ok', error: null, invokeUs: i, completeUs: i + 1, value: s.value, truth: s.truth as 'valid', truthDetail: null, eventTimeMs: s.eventTimeMs });
      writer.recordObserved({ role: 'input', topic: 'input', partition: 0, offset: i, key: s.key, value: s.value, headers: { 'sp-event-id': s.eventId }, observedUs: i + 2, kafkaTsMs: s.eventTimeMs });
    });
    await writer.close();
    const reader = await HistoryReader.open(path);
    try {
      await createInputsView(reader);
      for (const q of all) {
        let columns: string[];
        try {
          columns = (await reader.query<{ column_name: string }>(`DESCRIBE (${q.sql})`)).map((c) => c.column_name);
        } catch (error) {
          throw rejected(file, q, (error as Error).message.replace(/^.*?: /, ''));
        }
        const missing = q.columns.filter((name) => !columns.includes(name));
        if (missing.length > 0) throw rejected(file, q, `its rows lack the declared column(s) ${missing.join(', ')} (it returns ${columns.join(', ')})`);
      }
    } finally {
      await reader.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
