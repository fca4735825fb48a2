import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { batchesWrittenTwice, deltaHistory, readDeltaSnapshot, type DeltaSnapshot } from './delta-log.ts';

/**
 * Tables laid out as the Delta protocol (and Spark) lays them out: Parquet data files, JSON
 * commits, a Parquet checkpoint with `_last_checkpoint`; these check the log replay itself. The
 * tables in fixtures/ are Spark's own (examples/spark-delta/fixtures/make_delta_fixtures.py), with
 * what Spark read from them in fixtures/expected.json.
 */
const root = mkdtempSync(join(tmpdir(), 'delta-log-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const db = await DuckDBInstance.create(':memory:');
const sql = await db.connect();
const v = (n: number) => String(n).padStart(20, '0');
const protocol = { protocol: { minReaderVersion: 1, minWriterVersion: 2 } };
const metaData = (extra: object = {}) => ({ metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString: '{}', partitionColumns: [], configuration: {}, ...extra } });
const add = (path: string) => ({ add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true } });
const remove = (path: string) => ({ remove: { path, deletionTimestamp: 0, dataChange: false } });

async function table(name: string, files: Record<string, number[]>): Promise<string> {
  const dir = join(root, name);
  mkdirSync(join(dir, '_delta_log'), { recursive: true });
  for (const [file, ids] of Object.entries(files)) {
    await sql.run(`COPY (SELECT unnest([${ids.join(',')}]::INTEGER[]) AS id) TO '${join(dir, file)}' (FORMAT parquet)`);
  }
  return dir;
}
const commit = (dir: string, version: number, actions: object[]) => writeFileSync(join(dir, '_delta_log', `${v(version)}.json`), `${actions.map((a) => JSON.stringify(a)).join('\n')}\n`);
const count = async (files: string[]) => Number((await sql.runAndReadAll(`SELECT count(*) AS n FROM read_parquet([${files.map((f) => `'${f}'`).join(',')}])`)).getRowObjects()[0]!.n);

describe('readDeltaSnapshot', () => {
  it('replays adds and removes (a compaction), newest action per file wins; keeps each commit and its txn', async () => {
    const dir = await table('compacted', { 'part-0.parquet': [1, 2], 'part-1.parquet': [3], 'part-2.parquet': [1, 2, 3], 'part%20space.parquet': [4] });
    commit(dir, 0, [protocol, metaData(), add('part-0.parquet'), add('part-1.parquet'), { commitInfo: { operation: 'STREAMING UPDATE' } }, { txn: { appId: 'q1', version: 0 } }]);
    commit(dir, 1, [remove('part-0.parquet'), remove('part-1.parquet'), add('part-2.parquet'), { commitInfo: { operation: 'OPTIMIZE' } }]);
    commit(dir, 2, [add('part%2520space.parquet'), { txn: { appId: 'q1', version: 1 } }]);
    const snap = await readDeltaSnapshot(dir);
    expect(snap.version).toBe(2);
    expect(snap.files).toEqual([join(dir, 'part%20space.parquet'), join(dir, 'part-2.parquet')].sort());
    expect(await count(snap.files)).toBe(4);
    expect(snap.commits.map((c) => [c.version, c.operation, c.added.length, c.removed.length, c.txns])).toEqual([
      [0, 'STREAMING UPDATE', 2, 0, [{ appId: 'q1', version: 0 }]],
      [1, 'OPTIMIZE', 1, 2, []],
      [2, undefined, 1, 0, [{ appId: 'q1', version: 1 }]],
    ]);
  });

  it('says which commit added each live file: a re-add of a live file (a statistics rewrite) does not move it, a remove and re-add does', async () => {
    const dir = await table('added-in', { 'a.parquet': [1], 'b.parquet': [2] });
    const readd = (path: string) => ({ add: { ...add(path).add, dataChange: false } });
    commit(dir, 0, [protocol, metaData(), add('a.parquet')]);
    commit(dir, 1, [readd('a.parquet'), add('b.parquet')]);
    let snap = await readDeltaSnapshot(dir);
    expect(snap.dataFiles).toEqual([
      { path: join(dir, 'a.parquet'), addedInVersion: 0, atOrBefore: false },
      { path: join(dir, 'b.parquet'), addedInVersion: 1, atOrBefore: false },
    ]);
    commit(dir, 2, [remove('a.parquet')]);
    commit(dir, 3, [add('a.parquet')]);
    snap = await readDeltaSnapshot(dir);
    expect(snap.dataFiles.map((f) => [f.path, f.addedInVersion])).toEqual([[join(dir, 'a.parquet'), 3], [join(dir, 'b.parquet'), 1]]);
  });

  it('starts from the checkpoint _last_checkpoint names, even once the older commits are cleaned up', async () => {
    const dir = await table('checkpointed', { 'a.parquet': [1], 'b.parquet': [2, 3], 'c.parquet': [4] });
    const addType = "STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, deletionVector STRUCT(storageType VARCHAR))";
    await sql.run(`COPY (
      SELECT {'minReaderVersion': 1, 'minWriterVersion': 2} AS protocol, NULL::STRUCT(partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR)) AS metaData, NULL::${addType} AS add, NULL::STRUCT(path VARCHAR) AS remove
      UNION ALL SELECT NULL, {'partitionColumns': []::VARCHAR[], 'configuration': MAP {}::MAP(VARCHAR, VARCHAR)}, NULL, NULL
      UNION ALL SELECT NULL, NULL, {'path': 'a.parquet', 'partitionValues': MAP {}::MAP(VARCHAR, VARCHAR), 'size': 1, 'modificationTime': 0, 'dataChange': true, 'deletionVector': NULL}, NULL
      UNION ALL SELECT NULL, NULL, {'path': 'b.parquet', 'partitionValues': MAP {}::MAP(VARCHAR, VARCHAR), 'size': 1, 'modificationTime': 0, 'dataChange': true, 'deletionVector': NULL}, NULL
      UNION ALL SELECT NULL, NULL, NULL, {'path': 'gone.parquet'}
    ) TO '${join(dir, '_delta_log', `${v(9)}.checkpoint.parquet`)}' (FORMAT parquet)`);
    writeFileSync(join(dir, '_delta_log', '_last_checkpoint'), JSON.stringify({ version: 9, size: 5 }));
    commit(dir, 10, [remove('a.parquet'), add('c.parquet')]);
    const snap = await readDeltaSnapshot(dir);
    expect(snap).toMatchObject({ version: 10, checkpointVersion: 9 });
    expect(snap.files).toEqual([join(dir, 'b.parquet'), join(dir, 'c.parquet')]);
    expect(await count(snap.files)).toBe(3);
  });

  it('refuses what it would read wrongly, in one line: deletion vectors, column mapping, a gap in the log, no log', async () => {
    const dv = await table('dv', {});
    commit(dv, 0, [{ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } }, metaData()]);
    await expect(readDeltaSnapshot(dv)).rejects.toThrow(`delta table ${dv}: the reader feature(s) deletionVectors is not supported by streamproof's Delta reader`);
    const cm = await table('cm', {});
    commit(cm, 0, [protocol, metaData({ configuration: { 'delta.columnMapping.mode': 'name' } })]);
    await expect(readDeltaSnapshot(cm)).rejects.toThrow('column mapping (delta.columnMapping.mode = name) is not supported');
    const gap = await table('gap', { 'x.parquet': [1] });
    commit(gap, 0, [protocol, metaData(), add('x.parquet')]);
    commit(gap, 2, [remove('x.parquet')]);
    await expect(readDeltaSnapshot(gap)).rejects.toThrow('commit 1 is missing from _delta_log (found 2)');
    await expect(readDeltaSnapshot(join(root, 'nothing'))).rejects.toThrow('no _delta_log directory');
  });
});

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** What Spark read from each fixture table (make_delta_fixtures.py). */
interface SparkSaw {
  count: number;
  sumQty: number;
  version: number;
  /** DESCRIBE HISTORY: version -> operation. */
  operations: Record<string, string>;
  checkpointVersion?: number;
  countByRegion?: Record<string, number>;
  /** Per version, how many of the final rows first appear in it (time travel). */
  rowsAddedByVersion?: Record<string, number>;
}
const spark = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, SparkSaw>;

const list = (files: string[]) => `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
const scan = (snap: DeltaSnapshot) => `read_parquet(${list(snap.files)}, union_by_name = true, hive_partitioning = ${snap.partitionColumns.length > 0}, filename = true)`;

/** count(*) and sum(qty) of the snapshot's rows, read by DuckDB from its files. */
async function countAndSum(snap: DeltaSnapshot): Promise<{ count: number; sumQty: number }> {
  const row = (await sql.runAndReadAll(`SELECT count(*) AS n, sum(qty) AS s FROM ${scan(snap)}`)).getRowObjects()[0]!;
  return { count: Number(row.n), sumQty: Number(row.s) };
}

/** Rows per version of the commit that added their file (as the sink reader records them). */
async function rowsByAddingVersion(snap: DeltaSnapshot): Promise<Record<string, number>> {
  const version = new Map(snap.dataFiles.map((f) => [f.path, f.addedInVersion]));
  const out: Record<string, number> = {};
  for (const row of (await sql.runAndReadAll(`SELECT filename AS f, count(*) AS n FROM ${scan(snap)} GROUP BY filename`)).getRowObjects()) {
    const v = String(version.get(String(row.f)));
    out[v] = (out[v] ?? 0) + Number(row.n);
  }
  return out;
}

const operations = (snap: DeltaSnapshot) => Object.fromEntries(snap.commits.map((c) => [String(c.version), c.operation]));

/** The rejection of a table: the error, which must be one line. */
async function refusal(table: string): Promise<HarnessError> {
  const error = await readDeltaSnapshot(table).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HarnessError);
  const harness = error as HarnessError;
  expect(harness.code).toBe('SINK_UNREADABLE');
  expect(harness.message).not.toContain('\n');
  return harness;
}

describe('readDeltaSnapshot on tables Spark wrote (fixtures/, counts in fixtures/expected.json)', () => {
  it('appends-and-removes: after a DELETE that rewrote files and an OPTIMIZE, its count and sum are Spark\'s', async () => {
    const want = spark['appends-and-removes']!;
    const snap = await readDeltaSnapshot(join(FIXTURES, 'appends-and-removes'));
    expect(snap.version).toBe(want.version);
    expect(snap.checkpointVersion).toBeUndefined();
    expect(await countAndSum(snap)).toEqual({ count: want.count, sumQty: want.sumQty });
    // The version history is Spark's own (DESCRIBE HISTORY), and the log does remove files.
    expect(operations(snap)).toEqual(want.operations);
    expect(snap.commits.filter((c) => c.removed.length > 0).map((c) => c.operation)).toEqual(expect.arrayContaining(['DELETE', 'OPTIMIZE']));
    // Each live file was added by a commit the history holds; the compaction's file is its own.
    for (const f of snap.dataFiles) {
      expect(f.atOrBefore).toBe(false);
      expect(snap.commits.find((c) => c.version === f.addedInVersion)!.added).toContain(f.path);
    }
    // Every WRITE was an idempotent batch (txnAppId/txnVersion), and the batch the script sent
    // twice is in the log once: Delta skipped it, as Spark's history (no 5th WRITE) says.
    const writes = Object.values(want.operations).filter((o) => o === 'WRITE').length;
    expect(snap.commits.flatMap((c) => c.txns)).toHaveLength(writes);
    expect(batchesWrittenTwice(snap.commits)).toEqual([]);
  });

  it('appends-and-removes with a batch committed twice (as a writer that ignores txn would): the history names it', async () => {
    const dir = join(root, 'written-twice');
    cpSync(join(FIXTURES, 'appends-and-removes'), dir, { recursive: true });
    const before = await readDeltaSnapshot(dir);
    const batch = before.commits.find((c) => c.txns.length > 0 && c.added.length > 0)!;
    // The batch's rows again, in a copy of its file, under its txn, as the next commit.
    const copy = 'part-again.parquet';
    cpSync(batch.added[0]!, join(dir, copy));
    commit(dir, before.version + 1, [add(copy), { txn: batch.txns[0] }, { commitInfo: { operation: 'WRITE' } }]);
    const after = await readDeltaSnapshot(dir);
    expect(batchesWrittenTwice(after.commits)).toEqual([{ ...batch.txns[0]!, commits: [batch.version, before.version + 1] }]);
    expect(deltaHistory(after).writtenTwice).toHaveLength(1);
    expect((await countAndSum(after)).count).toBeGreaterThan((await countAndSum(before)).count);
    expect(after.dataFiles.find((f) => f.path === join(dir, copy))).toEqual({ path: join(dir, copy), addedInVersion: before.version + 1, atOrBefore: false });
  });

  it('checkpointed: from the checkpoint and the commits after it, count, sum, per-partition counts and rows per adding commit are Spark\'s', async () => {
    const want = spark['checkpointed']!;
    const snap = await readDeltaSnapshot(join(FIXTURES, 'checkpointed'));
    expect(snap).toMatchObject({ version: want.version, checkpointVersion: want.checkpointVersion, partitionColumns: ['region'] });
    expect(snap.version).toBeGreaterThan(snap.checkpointVersion!);
    expect(await countAndSum(snap)).toEqual({ count: want.count, sumQty: want.sumQty });
    const regions = (await sql.runAndReadAll(`SELECT region, count(*) AS n FROM ${scan(snap)} GROUP BY region ORDER BY region`)).getRowObjects();
    expect(Object.fromEntries(regions.map((r) => [String(r.region), Number(r.n)]))).toEqual(want.countByRegion);
    // The JSON commits before the checkpoint are still in the log: the whole history, and the
    // exact commit of every file, which Spark's time travel confirms row by row.
    expect(operations(snap)).toEqual(want.operations);
    expect(snap.dataFiles.every((f) => !f.atOrBefore)).toBe(true);
    expect(await rowsByAddingVersion(snap)).toEqual(want.rowsAddedByVersion);
  });

  it('checkpointed, once log cleanup removed the commits up to the checkpoint: the same rows, older files "at or before" the checkpoint', async () => {
    const want = spark['checkpointed']!;
    const cp = want.checkpointVersion!;
    const dir = join(root, 'cleaned-up');
    cpSync(join(FIXTURES, 'checkpointed'), dir, { recursive: true });
    for (const name of readdirSync(join(dir, '_delta_log'))) {
      const m = /^\.?(\d{20})\.(json|crc)/.exec(name);
      if (m && Number(m[1]) <= cp) rmSync(join(dir, '_delta_log', name));
    }
    const snap = await readDeltaSnapshot(dir);
    expect(await countAndSum(snap)).toEqual({ count: want.count, sumQty: want.sumQty });
    expect(snap.commits.map((c) => c.version)).toEqual(Object.keys(want.operations).map(Number).filter((v) => v > cp));
    // Spark's rows per version, with every version up to the checkpoint folded into it.
    const folded: Record<string, number> = {};
    for (const [v, n] of Object.entries(want.rowsAddedByVersion!)) folded[String(Math.max(Number(v), cp))] = (folded[String(Math.max(Number(v), cp))] ?? 0) + n;
    expect(await rowsByAddingVersion(snap)).toEqual(folded);
    expect(snap.dataFiles.filter((f) => f.atOrBefore).every((f) => f.addedInVersion === cp)).toBe(true);
    expect(deltaHistory(snap).filesAddedAtOrBefore).toBeGreaterThan(0);
  });

  it('deletion-vectors and column-mapping: refused, in one line that names the feature', async () => {
    expect((await refusal(join(FIXTURES, 'deletion-vectors'))).message).toMatch(/deletion ?vectors?/i);
    expect((await refusal(join(FIXTURES, 'column-mapping'))).message).toMatch(/column ?mapping/i);
  });
});
