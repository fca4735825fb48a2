/**
 * Reading a SUT's sinks after it stopped: every row of a DuckDB table, a Parquet dataset or an
 * NDJSON directory goes into the history as one `observed` record of the sink's role, topic
 * `sink:<name>`, value = the row as JSON, so the checkers judge sink rows exactly as topic
 * records (its identity, its aggregate declaration). What a reader of the sink also sees beside
 * the rows (Parquet key-value metadata, DuckDB table and column comments) is recorded too, as
 * role `sink-metadata` (one record per entry), so that `pii` searches it.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { sinkLocation, sinkTopic, type Sink } from '../sut/sut-config.ts';

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The files of a Parquet or NDJSON sink, quoted: a directory means every file of its kind under it. */
function files(location: string, pattern: string): string {
  const dir = existsSync(location) && statSync(location).isDirectory();
  return literal(dir ? join(location, '**', pattern) : location);
}

/** The DuckDB table expression that reads a sink. */
function source(sink: Sink, location: string): string {
  switch (sink.kind) {
    case 'duckdb':
      return `sink_db.${sink.table}`;
    case 'parquet':
      return `read_parquet(${files(location, '*.parquet')}, union_by_name = true)`;
    case 'ndjson':
      return `read_json_auto(${files(location, '*.*json')}, format = 'newline_delimited', union_by_name = true)`;
  }
}

/** The metadata entries of a sink, as JSON text: Parquet key-value metadata, DuckDB comments. */
function metadataSql(sink: Sink, location: string): string | undefined {
  switch (sink.kind) {
    case 'parquet':
      return `SELECT to_json({'file': file_name, 'key': TRY(decode(key)), 'value': TRY(decode(value))})::VARCHAR AS j
        FROM parquet_kv_metadata(${files(location, '*.parquet')})`;
    case 'duckdb':
      return `SELECT to_json({'table': table_name, 'comment': comment})::VARCHAR AS j FROM duckdb_tables() WHERE database_name = 'sink_db' AND table_name = ${literal(sink.table!)} AND comment IS NOT NULL
        UNION ALL SELECT to_json({'table': table_name, 'column': column_name, 'comment': comment})::VARCHAR FROM duckdb_columns() WHERE database_name = 'sink_db' AND table_name = ${literal(sink.table!)} AND comment IS NOT NULL`;
    case 'ndjson':
      return undefined;
  }
}

/** Reads one sink into the history; returns the rows read. Throws when the sink is missing or unreadable. */
export async function readSink(sink: Sink, sinkDir: string | undefined, history: HistoryWriter): Promise<number> {
  const location = sinkLocation(sink, sinkDir);
  if (!existsSync(location) && !location.includes('*')) throw new Error(`sink '${sink.name}': ${location} does not exist`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    if (sink.kind === 'duckdb') await connection.run(`ATTACH ${literal(location)} AS sink_db (READ_ONLY)`);
    const reader = await connection.runAndReadAll(`SELECT to_json(t)::VARCHAR AS j FROM ${source(sink, location)} t`);
    const rows = reader.getRowObjects();
    const topic = sinkTopic(sink.name);
    const at = nowUs();
    rows.forEach((row, i) => {
      history.recordObserved({ role: sink.role, topic, partition: 0, offset: i, key: null, value: Buffer.from(String(row.j)), headers: null, observedUs: at, kafkaTsMs: null });
    });
    const metadata = metadataSql(sink, location);
    if (metadata) {
      (await connection.runAndReadAll(metadata)).getRowObjects().forEach((row, i) => {
        history.recordObserved({ role: 'sink-metadata', topic, partition: 0, offset: i, key: null, value: Buffer.from(String(row.j)), headers: null, observedUs: at, kafkaTsMs: null });
      });
    }
    return rows.length;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
