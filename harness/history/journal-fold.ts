/**
 * Moving the send journal (send-journal.ts) into the `sends` table. The writer folds it at
 * `close()`, and at `open()` (a crashed writer's journal), in one transaction that also adds
 * the segments' names to `run_meta['history.journal.folded']`, then deletes the journal and
 * that key: a crash between that commit and the deletion cannot fold a segment twice. A reader of a
 * crashed writer's file loads the journal into memory instead and shows `sends` as a
 * temporary view over the table and it, leaving the files as they are.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyError } from './history-error.ts';
import { decodeFrames } from './journal-frame.ts';
import { journalDir, removeJournal, segmentFiles } from './journal-segments.ts';
import { journalRowsWriter } from './row-appenders.ts';

export const FOLDED_KEY = 'history.journal.folded';
const JOURNAL_SENDS = 'journal_sends';

/** Names and the indexes of the BLOB columns of a table shaped like `sends`. */
export async function sendsColumns(connection: DuckDBConnection, table = 'sends'): Promise<{ names: string[]; blobColumns: number[] }> {
  const described = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE ${table})`);
  const rows = described.getRowsJS().map(([name, type]) => [String(name), String(type)] as const);
  return { names: rows.map(([name]) => name), blobColumns: rows.flatMap(([, type], index) => (type === 'BLOB' ? [index] : [])) };
}

async function foldedSegments(connection: DuckDBConnection, runMeta: string): Promise<string[]> {
  const found = await connection.runAndReadAll(`SELECT value::VARCHAR FROM ${runMeta} WHERE key = ?`, [FOLDED_KEY]);
  const text = found.getRowsJS()[0]?.[0];
  return text == null ? [] : (JSON.parse(String(text)) as string[]);
}

/** Appends every whole frame of `files` to `table` (shaped like `sends`) through an Appender. */
async function appendSegments(connection: DuckDBConnection, dir: string, files: readonly string[], table: string, schema: string, catalog: string | null): Promise<number> {
  const appender = await connection.createAppender(table, schema, catalog);
  try {
    const write = journalRowsWriter(appender);
    const blobColumns = (await sendsColumns(connection, catalog ? `${catalog}.${schema}.${table}` : table)).blobColumns;
    let rows = 0;
    for (const file of files) {
      const decoded = decodeFrames(readFileSync(join(dir, file)), blobColumns, file);
      write(appender, decoded);
      appender.flushSync(); // one segment's rows in JS memory at a time
      rows += decoded.length;
    }
    return rows;
  } finally {
    appender.closeSync();
  }
}

/** Folds the journal of `dbPath` into `sends` (the connection's default catalog); returns the rows moved. */
export async function foldJournal(connection: DuckDBConnection, dbPath: string): Promise<number> {
  const dir = journalDir(dbPath);
  const present = segmentFiles(dir);
  if (present.length === 0) {
    removeJournal(dbPath);
    return 0;
  }
  const folded = await foldedSegments(connection, 'run_meta');
  const files = present.filter((file) => !folded.includes(file));
  let rows = 0;
  if (files.length > 0) {
    await connection.run('BEGIN TRANSACTION');
    try {
      rows = await appendSegments(connection, dir, files, 'sends', 'main', null);
      await connection.run(
        'INSERT INTO run_meta VALUES (?, ?::JSON) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [FOLDED_KEY, JSON.stringify([...folded, ...files])],
      );
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw historyError('could not move the send journal into the history', { path: dbPath, dir }, error);
    }
  }
  removeJournal(dbPath);
  await connection.run('DELETE FROM run_meta WHERE key = ?', [FOLDED_KEY]); // its segments are gone
  return rows;
}

/**
 * For a reader: when `dbPath` has a journal not folded yet (its writer died), loads it into a
 * temporary table and shadows `sends` with a temporary view over both. Does nothing otherwise.
 */
export async function viewJournal(connection: DuckDBConnection, dbPath: string): Promise<void> {
  const dir = journalDir(dbPath);
  const present = segmentFiles(dir);
  if (present.length === 0) return;
  const db = String((await connection.runAndReadAll('SELECT current_database()')).getRowsJS()[0]![0]);
  const main = `"${db.replaceAll('"', '""')}".main`;
  const folded = await foldedSegments(connection, `${main}.run_meta`);
  const files = present.filter((file) => !folded.includes(file));
  if (files.length === 0) return;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${JOURNAL_SENDS} AS SELECT * FROM ${main}.sends LIMIT 0`);
  await appendSegments(connection, dir, files, JOURNAL_SENDS, 'main', 'temp');
  await connection.run(`CREATE OR REPLACE TEMP VIEW sends AS SELECT * FROM ${main}.sends UNION ALL SELECT * FROM temp.main.${JOURNAL_SENDS}`);
}
