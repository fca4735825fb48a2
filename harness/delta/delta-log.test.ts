import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { readDeltaSnapshot } from './delta-log.ts';

/**
 * Tables laid out as the Delta protocol (and Spark) lays them out: Parquet data files, JSON
 * commits, a Parquet checkpoint with `_last_checkpoint`. Real Spark-written fixtures come with the
 * Spark example (issue 18); these check the log replay itself.
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
