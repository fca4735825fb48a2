import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { defineSut } from '../sut/sut-config.ts';
import { readDeltaSnapshot } from '../delta/delta-log.ts';
import { readSink } from './sink-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'sink-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = `SELECT * FROM (VALUES ('eu', 1000, 3), ('us', 1000, 1)) t(region, window_start_ms, n)`;

/** Real files of each kind, written by DuckDB as a sink writer would: a table, a Parquet dataset in a subfolder, NDJSON parts. */
async function writeSinks(): Promise<void> {
  mkdirSync(join(dir, 'parquet', 'date=1'), { recursive: true });
  mkdirSync(join(dir, 'ndjson'), { recursive: true });
  const db = await DuckDBInstance.create(join(dir, 'sink.duckdb'));
  const c = await db.connect();
  await c.run(`CREATE TABLE windows AS ${ROWS}`);
  await c.run(`COMMENT ON TABLE windows IS 'windows by region'`);
  await c.run(`COMMENT ON COLUMN windows.region IS 'owner: ops'`);
  await c.run(`COPY (${ROWS}) TO '${join(dir, 'parquet', 'date=1', 'part-0.parquet')}' (FORMAT parquet, KV_METADATA {writer: 'job-7'})`);
  await c.run(`COPY (${ROWS} LIMIT 1) TO '${join(dir, 'ndjson', 'part-0.ndjson')}' (FORMAT json)`);
  await c.run(`COPY (${ROWS} OFFSET 1) TO '${join(dir, 'ndjson', 'part-1.ndjson')}' (FORMAT json)`);
  c.closeSync();
  db.closeSync();
}

const aggregate = { keys: ['region', 'window_start_ms'], values: ['n'], oracle: 'SELECT 1 AS region, 2 AS window_start_ms, 3 AS n' };
const sut = defineSut({
  name: 'lake',
  command: ['true'],
  topics: { input: [{ name: 'in', partitions: 1 }] },
  sinks: [
    { name: 'db', kind: 'duckdb', path: 'sink.duckdb', table: 'windows', role: 'aggregate', aggregate },
    { name: 'pq', kind: 'parquet', path: 'parquet', role: 'aggregate', aggregate },
    { name: 'js', kind: 'ndjson', path: join(dir, 'ndjson'), role: 'records' },
    { name: 'gone', kind: 'ndjson', path: 'nowhere', role: 'records' },
  ],
});

describe('readSink', () => {
  it('reads every row of a DuckDB table, a Parquet dataset and NDJSON parts as JSON records of the sink', async () => {
    await writeSinks();
    const path = join(dir, 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    const counts = [];
    for (const sink of sut.sinks.slice(0, 3)) counts.push(await readSink(sink, dir, writer));
    await expect(readSink(sut.sinks[3]!, dir, writer)).rejects.toThrow(`sink 'gone': ${join(dir, 'nowhere')} does not exist`);
    await writer.close();
    expect(counts).toEqual([2, 2, 2]);
    const reader = await HistoryReader.open(path);
    try {
      const rows = await reader.query<{ role: string; topic: string; v: string }>(`SELECT role, topic, decode(value) AS v FROM observed WHERE role <> 'sink-metadata' ORDER BY topic, v`);
      expect(rows.map((r) => [r.role, r.topic, JSON.parse(r.v)])).toEqual([
        ['aggregate', 'sink:db', { region: 'eu', window_start_ms: 1000, n: 3 }],
        ['aggregate', 'sink:db', { region: 'us', window_start_ms: 1000, n: 1 }],
        ['records', 'sink:js', { region: 'eu', window_start_ms: 1000, n: 3 }],
        ['records', 'sink:js', { region: 'us', window_start_ms: 1000, n: 1 }],
        // Hive-style folders (date=1) are columns, as Spark and Delta write them.
        ['aggregate', 'sink:pq', { region: 'eu', window_start_ms: 1000, n: 3, date: 1 }],
        ['aggregate', 'sink:pq', { region: 'us', window_start_ms: 1000, n: 1, date: 1 }],
      ]);
      // What a reader sees beside the rows: comments, key-value metadata (searched by pii).
      const meta = await reader.query<{ topic: string; v: string }>(`SELECT topic, decode(value) AS v FROM observed WHERE role = 'sink-metadata' ORDER BY topic, v`);
      expect(meta.map((r) => [r.topic, JSON.parse(r.v)])).toEqual([
        ['sink:db', { table: 'windows', column: 'region', comment: 'owner: ops' }],
        ['sink:db', { table: 'windows', comment: 'windows by region' }],
        ['sink:pq', { file: expect.stringContaining('part-0.parquet'), key: 'writer', value: 'job-7' }],
      ]);
    } finally {
      await reader.close();
    }
  });

  it('reads a Delta table: only the files of its current snapshot, partition columns from the folders, their metadata', async () => {
    const table = join(dir, 'gold');
    for (const part of ['region=eu', 'region=us', '_delta_log']) mkdirSync(join(table, part), { recursive: true });
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT 1000 AS window_start_ms, 3 AS n) TO '${join(table, 'region=eu', 'part-0.parquet')}' (FORMAT parquet)`);
    await c.run(`COPY (SELECT 1000 AS window_start_ms, 2 AS n) TO '${join(table, 'region=eu', 'part-1.parquet')}' (FORMAT parquet, KV_METADATA {writer: 'spark'})`);
    await c.run(`COPY (SELECT 1000 AS window_start_ms, 1 AS n) TO '${join(table, 'region=us', 'part-0.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    const line = (o: object) => JSON.stringify(o);
    const add = (path: string) => line({ add: { path, partitionValues: { region: path.slice(7, 9) }, size: 1, modificationTime: 0, dataChange: true } });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(table, '_delta_log', '00000000000000000000.json'), [line({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
      line({ metaData: { id: 'g', format: { provider: 'parquet' }, schemaString: '{}', partitionColumns: ['region'], configuration: {} } }),
      add('region=eu/part-0.parquet'), add('region=us/part-0.parquet')].join('\n'));
    // A later batch rewrote eu's window (a re-emission replaced the file).
    writeFileSync(join(table, '_delta_log', '00000000000000000001.json'), [line({ remove: { path: 'region=eu/part-0.parquet' } }), add('region=eu/part-1.parquet')].join('\n'));
    const gold = defineSut({ name: 'lake', command: ['true'], topics: { input: [{ name: 'in', partitions: 1 }] }, sinks: [{ name: 'gold', kind: 'delta', path: 'gold', role: 'aggregate', aggregate }] });
    const path = join(dir, 'delta-history.duckdb');
    const writer = await HistoryWriter.open(path);
    expect(await readSink(gold.sinks[0]!, dir, writer)).toBe(2);
    await writer.close();
    const reader = await HistoryReader.open(path);
    try {
      const rows = await reader.query<{ role: string; v: string }>(`SELECT role, decode(value) AS v FROM observed ORDER BY role, v`);
      expect(rows.map((r) => [r.role, JSON.parse(r.v)])).toEqual([
        ['aggregate', { window_start_ms: 1000, n: 1, region: 'us' }],
        ['aggregate', { window_start_ms: 1000, n: 2, region: 'eu' }],
        ['sink-metadata', { file: expect.stringContaining('part-1.parquet'), key: 'writer', value: 'spark' }],
      ]);
    } finally {
      await reader.close();
    }
  });

  it('reads a Delta table Spark wrote: each row\'s partition is the version of the commit that added its file; the version history goes to run_meta', async () => {
    // harness/delta/fixtures: made by examples/spark-delta/fixtures/make_delta_fixtures.py, with Spark's counts.
    const fixtures = fileURLToPath(new URL('../delta/fixtures/', import.meta.url));
    const spark = (JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, { count: number; operations: Record<string, string>; rowsAddedByVersion: Record<string, number> }>)['checkpointed']!;
    const table = join(fixtures, 'checkpointed');
    const lake = defineSut({ name: 'lake', command: ['true'], topics: { input: [{ name: 'in', partitions: 1 }] }, sinks: [{ name: 'gold', kind: 'delta', path: table, role: 'records' }] });
    const path = join(dir, 'delta-spark-history.duckdb');
    const writer = await HistoryWriter.open(path);
    expect(await readSink(lake.sinks[0]!, dir, writer)).toBe(spark.count);
    await writer.close();
    // The rows exactly as a plain read of the snapshot's files gives them: no column added.
    const snap = await readDeltaSnapshot(table);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const plain = (await c.runAndReadAll(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet([${snap.files.map((f) => `'${f}'`).join(', ')}], hive_partitioning = true) t`)).getRowObjects().map((r) => String(r.j));
    c.closeSync();
    db.closeSync();
    const reader = await HistoryReader.open(path);
    try {
      const rows = await reader.query<{ partition: number; offset: bigint; v: string }>(`SELECT partition, "offset", decode(value) AS v FROM observed WHERE topic = 'sink:gold' AND role = 'records'`);
      expect(rows.map((r) => r.v).sort()).toEqual(plain.sort());
      // Per adding commit, the rows Spark's time travel says that version added; offsets count within it.
      const byVersion: Record<string, number> = {};
      for (const r of rows) byVersion[String(r.partition)] = (byVersion[String(r.partition)] ?? 0) + 1;
      expect(byVersion).toEqual(spark.rowsAddedByVersion);
      for (const [v, n] of Object.entries(byVersion)) {
        expect(rows.filter((r) => String(r.partition) === v).map((r) => Number(r.offset)).sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      }
      const history = (await reader.meta())['sink.gold.delta-history'] as { version: number; commits: { version: number; operation: string }[]; writtenTwice: unknown[] };
      expect(history.version).toBe(snap.version);
      expect(Object.fromEntries(history.commits.map((k) => [String(k.version), k.operation]))).toEqual(spark.operations);
      expect(history.writtenTwice).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
