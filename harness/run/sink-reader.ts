/**
 * Reading a SUT's sinks after it stopped: every row of a DuckDB table, a Parquet dataset, an
 * NDJSON directory or a Delta table (harness/delta/delta-log.ts) goes into the history as one `observed` record of the sink's role, topic
 * `sink:<name>`, value = the row as JSON, so the checkers judge sink rows exactly as topic
 * records (its identity, its aggregate declaration). What a reader of the sink also sees beside
 * the rows (Parquet key-value metadata, DuckDB table and column comments) is recorded too, as
 * role `sink-metadata` (one record per entry), so that `pii` searches it.
 *
 * A Delta table's rows carry, as `partition`, the version of the commit that added their file
 * (`offset` counts the rows within it), so a checker can tell which commit wrote which rows; its
 * version history (commits, their txns, any batch written twice) goes into the run's metadata
 * as `sink.<name>.delta-history`.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { deltaHistory, readDeltaSnapshot, type DeltaSnapshot } from '../delta/delta-log.ts';
import { sinkLocation, sinkTopic, type Sink } from '../sut/sut-config.ts';

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The column DuckDB adds to a Delta sink's rows to name their file; never part of a row's JSON. */
const FILE_COLUMN = '__streamproof_file';

/** The files of a Parquet or NDJSON sink, quoted: a directory means every file of its kind under it. */
function files(location: string, pattern: string): string {
  const dir = existsSync(location) && statSync(location).isDirectory();
  return literal(dir ? join(location, '**', pattern) : location);
}

/** The data files of a Delta table's current snapshot, quoted (undefined: no file yet). */
function deltaFiles(snapshot: DeltaSnapshot): string | undefined {
  return snapshot.files.length === 0 ? undefined : `[${snapshot.files.map(literal).join(', ')}]`;
}

/** The DuckDB table expression that reads a sink; undefined when it has nothing to read. */
function source(sink: Sink, location: string, delta: DeltaSnapshot | undefined): string | undefined {
  switch (sink.kind) {
    case 'delta': {
      const list = deltaFiles(delta!);
      // Partition values live in the directory names (col=value), as Spark writes them.
      return list && `read_parquet(${list}, union_by_name = true, hive_partitioning = ${delta!.partitionColumns.length > 0}, filename = ${literal(FILE_COLUMN)})`;
    }
    case 'duckdb':
      return `sink_db.${sink.table}`;
    case 'parquet':
      return `read_parquet(${files(location, '*.parquet')}, union_by_name = true)`;
    case 'ndjson':
      return `read_json_auto(${files(location, '*.*json')}, format = 'newline_delimited', union_by_name = true)`;
  }
}

/** The metadata entries of a sink, as JSON text: Parquet key-value metadata, DuckDB comments. */
function metadataSql(sink: Sink, location: string, delta: DeltaSnapshot | undefined): string | undefined {
  const kv = (list: string) => `SELECT to_json({'file': file_name, 'key': TRY(decode(key)), 'value': TRY(decode(value))})::VARCHAR AS j FROM parquet_kv_metadata(${list})`;
  switch (sink.kind) {
    case 'parquet':
      return kv(files(location, '*.parquet'));
    case 'delta': {
      const list = deltaFiles(delta!);
      return list && kv(list);
    }
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
    const delta = sink.kind === 'delta' ? await readDeltaSnapshot(location) : undefined;
    const table = source(sink, location, delta);
    // A Delta row's JSON is every column but its file's name, which only says its commit.
    const select = delta ? `SELECT ${FILE_COLUMN} AS f, to_json(struct_pack(*COLUMNS(* EXCLUDE (${FILE_COLUMN}))))::VARCHAR AS j FROM ${table}` : `SELECT to_json(t)::VARCHAR AS j FROM ${table} t`;
    const rows = table === undefined ? [] : (await connection.runAndReadAll(select)).getRowObjects();
    const topic = sinkTopic(sink.name);
    const at = nowUs();
    const addedIn = new Map(delta?.dataFiles.map((f) => [f.path, f.addedInVersion]));
    const offsets = new Map<number, number>();
    rows.forEach((row, i) => {
      let partition = 0;
      let offset = i;
      if (delta) {
        const version = addedIn.get(String(row.f));
        if (version === undefined) throw new Error(`sink '${sink.name}': DuckDB read ${String(row.f)}, which is not a file of the Delta snapshot`);
        partition = version;
        offset = offsets.get(version) ?? 0;
        offsets.set(version, offset + 1);
      }
      history.recordObserved({ role: sink.role, topic, partition, offset, key: null, value: Buffer.from(String(row.j)), headers: null, observedUs: at, kafkaTsMs: null });
    });
    if (delta) await history.setMeta(`sink.${sink.name}.delta-history`, deltaHistory(delta));
    const metadata = metadataSql(sink, location, delta);
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
