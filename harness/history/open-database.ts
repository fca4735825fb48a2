/**
 * Opening a history file. One writer per file: DuckDB's file lock keeps other processes out,
 * and this module's registry keeps a second writer, or a reader, out of this process (a
 * second DuckDBInstance on the same file in one process is not locked out by DuckDB).
 */
import { DuckDBInstance } from '@duckdb/node-api';
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

/** Opens (creating if missing) a history file for writing. */
export async function openForWrite(path: string, options: Record<string, string>): Promise<DuckDBInstance> {
  mkdirSync(dirname(path), { recursive: true });
  return create(path, { ...options, access_mode: 'READ_WRITE' });
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
