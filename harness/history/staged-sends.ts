/**
 * While a writer is open, sends are appended to `sends_staged`: the columns of `sends` without
 * `value`, plus where the value is in the segment files beside the history (value-segments.ts).
 * Closing the writer folds them into `sends` (one transaction, one segment at a time) and drops
 * the staging table, so a finished history is the plain schema of docs/history-schema.md.
 * After a crash the staged rows are still there: the next writer on the file folds them when
 * it opens, and a reader sees them, values included, through a temporary `sends` view.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { historyError } from './history-error.ts';
import { loadSegmentValues, resetStagedValues, STAGED_VALUES } from './staged-values.ts';
import { removeValuesDir, segmentFiles, valuesDir } from './value-segments.ts';

export const STAGED_SENDS = 'sends_staged';
/** The staging table's own columns, after those of `sends` less `value`. */
export const VALUE_REF_COLUMNS = ['value_file', 'value_at', 'value_len'] as const;

/** The staged rows `s` whose values are loaded, as rows of `sends` (by name). */
const WITH_VALUES = (staged: string) =>
  `SELECT s.* EXCLUDE (${VALUE_REF_COLUMNS.join(', ')}), v.value FROM ${staged} s JOIN temp.main.${STAGED_VALUES} v ON s.rowid = v.r`;

async function stagedFiles(connection: DuckDBConnection, staged: string): Promise<string[]> {
  const files = await connection.runAndReadAll(`SELECT DISTINCT value_file FROM ${staged} ORDER BY 1`);
  return files.getRowsJS().map((row) => String(row[0]));
}

async function stagedRows(connection: DuckDBConnection, table: string): Promise<number | undefined> {
  const found = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?`,
    [STAGED_SENDS],
  );
  if (Number(found.getRowsJS()[0]![0]) === 0) return undefined;
  const rows = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
  return Number(rows.getRowsJS()[0]![0]);
}

/**
 * Creates an empty staging table shaped like `sends` (so columns added to `sends` follow) and
 * checks that `columns`, the staged rows' cells (row-appenders.ts), name its columns in order.
 */
export async function createStagedSends(connection: DuckDBConnection, columns: readonly string[]): Promise<void> {
  await connection.run(
    `CREATE TABLE ${STAGED_SENDS} AS SELECT * EXCLUDE (value), NULL::VARCHAR AS value_file, NULL::BIGINT AS value_at, NULL::INTEGER AS value_len FROM sends LIMIT 0`,
  );
  const described = await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE ${STAGED_SENDS})`);
  const names = described.getRowsJS().map((row) => String(row[0]));
  if (names.join() !== columns.join()) {
    throw historyError('the staged sends cells do not match the sends columns', { table: names, cells: columns });
  }
}

/**
 * Moves every staged send, value included, into `sends` and drops the staging table, in one
 * transaction; then removes the segment files. Does nothing but remove stray segments when
 * there is no staging table. `dbPath` is the history file (its segments are beside it).
 */
export async function foldStagedSends(connection: DuckDBConnection, dbPath: string): Promise<number> {
  const staged = await stagedRows(connection, STAGED_SENDS);
  if (staged === undefined) {
    removeValuesDir(dbPath);
    return 0;
  }
  const dir = valuesDir(dbPath);
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const file of await stagedFiles(connection, STAGED_SENDS)) {
      await resetStagedValues(connection); // one segment's values in memory at a time
      await loadSegmentValues(connection, STAGED_SENDS, dir, file);
      await connection.run(`INSERT INTO sends BY NAME ${WITH_VALUES(STAGED_SENDS)}`);
    }
    await connection.run(`DROP TABLE ${STAGED_SENDS}`);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw historyError(`could not move ${staged} staged sends and their values into the history`, { path: dbPath, dir }, error);
  } finally {
    await connection.run(`DROP TABLE IF EXISTS temp.main.${STAGED_VALUES}`).catch(() => undefined);
  }
  removeValuesDir(dbPath);
  return staged;
}

/**
 * For a reader of a history whose writer died: a temporary view `sends` (it hides the table
 * in this connection) with the committed staged sends and their values, loaded from the
 * segment files into this connection's memory. Does nothing when nothing is staged.
 */
export async function viewStagedSends(connection: DuckDBConnection, dbPath: string): Promise<void> {
  if (!(await stagedRows(connection, STAGED_SENDS))) return;
  const db = (await connection.runAndReadAll('SELECT current_database()')).getRowsJS()[0]![0];
  const main = `"${String(db).replaceAll('"', '""')}".main`;
  const dir = valuesDir(dbPath);
  const present = new Set(segmentFiles(dir));
  const files = await stagedFiles(connection, `${main}.${STAGED_SENDS}`);
  const missing = files.filter((file) => !present.has(file));
  if (missing.length > 0) throw historyError('the history has staged sends whose values are missing', { path: dbPath, dir, missing });
  await resetStagedValues(connection);
  for (const file of files) await loadSegmentValues(connection, `${main}.${STAGED_SENDS}`, dir, file);
  await connection.run(`CREATE TEMP VIEW sends AS SELECT * FROM ${main}.sends UNION ALL BY NAME ${WITH_VALUES(`${main}.${STAGED_SENDS}`)}`);
}
