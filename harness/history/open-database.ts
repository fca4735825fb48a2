/**
 * Opening a history file. One writer per file: DuckDB's file lock keeps other processes out,
 * and this module's registry keeps a second writer, or a reader, out of this process (a
 * second DuckDBInstance on the same file in one process is not locked out by DuckDB).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { historyError } from './history-error.ts';

const openWriters = new Set<string>();

export function claimWriter(path: string): string {
  const full = resolve(path);
  if (openWriters.has(full)) throw historyError('a history writer is already open on this file', { path: full });
  openWriters.add(full);
  return full;
}

export function releaseWriter(path: string): void {
  openWriters.delete(resolve(path));
}

function isLockError(error: unknown): boolean {
  return error instanceof Error && /Could not set lock|Conflicting lock/i.test(error.message);
}

async function create(path: string, options: Record<string, string>): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path, options);
  } catch (error) {
    if (isLockError(error)) {
      throw historyError('history file is open in another process', { path }, error, true);
    }
    throw historyError('could not open history file', { path }, error);
  }
}

/**
 * Row group size of a history file the writer attaches. A checkpoint rewrites the table's
 * last, partly filled row group whole, so with DuckDB's default (122,880 rows) every
 * background checkpoint of a run rewrote up to 120k rows already on disk (two checkpoints
 * of 150k 1 KB sends cost twice the CPU of the commits themselves, and grew the file by
 * the rewritten blocks; measured). 16,384 rows bounds that rewrite to 16k rows.
 */
export const WRITER_ROW_GROUP_ROWS = 16_384;
/** The name the writer's connections know the history file by (`USE`d on each). */
export const WRITER_CATALOG = 'history';

/**
 * Opens (creating if missing) a history file for writing: an in-memory DuckDB with the file
 * ATTACHed (the row group size is an ATTACH option, not an instance one). Connect with
 * `connectWriter`. The file lock, WAL and checkpoints are the attached file's own.
 */
export async function openForWrite(path: string, options: Record<string, string>): Promise<DuckDBInstance> {
  mkdirSync(dirname(path), { recursive: true });
  const instance = await create(':memory:', options);
  const connection = await instance.connect();
  try {
    const quoted = `'${path.replaceAll("'", "''")}'`;
    await connection.run(`ATTACH ${quoted} AS ${WRITER_CATALOG} (ROW_GROUP_SIZE ${WRITER_ROW_GROUP_ROWS})`);
  } catch (error) {
    instance.closeSync();
    if (isLockError(error)) throw historyError('history file is open in another process', { path }, error, true);
    throw historyError('could not open history file', { path }, error);
  } finally {
    connection.closeSync();
  }
  return instance;
}

/** A connection of a writer's instance, with the attached history file as its default catalog. */
export async function connectWriter(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  try {
    await connection.run(`USE ${WRITER_CATALOG}`);
  } catch (error) {
    connection.closeSync();
    throw error;
  }
  return connection;
}

/**
 * Opens an existing history file read-only. DuckDB 1.5 replays a leftover WAL (after a
 * crash) in memory on a read-only open and leaves the files untouched; should an engine
 * refuse that, the WAL is checkpointed by one read-write open and the read-only open retried.
 */
export async function openForRead(path: string): Promise<DuckDBInstance> {
  const full = resolve(path);
  if (!existsSync(full)) throw historyError('no history file here', { path: full });
  if (openWriters.has(full)) throw historyError('close the history writer before reading this file', { path: full });
  try {
    return await DuckDBInstance.create(full, { access_mode: 'READ_ONLY' });
  } catch (error) {
    if (isLockError(error)) throw historyError('history file is open in another process', { path: full }, error, true);
    const writable = await create(full, { access_mode: 'READ_WRITE' });
    writable.closeSync(); // replays and checkpoints the WAL
    return create(full, { access_mode: 'READ_ONLY' });
  }
}
