/** Copies every history table to `<dir>/<table>.parquet` (one file per table). */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { historyError } from './history-error.ts';
import { TABLE_NAMES } from './history-schema.ts';
import { openForRead } from './open-database.ts';
import { viewJournal } from './journal-fold.ts';

/** Writes the Parquet files and returns their paths, in TABLE_NAMES order. */
export async function exportParquet(dbPath: string, dir: string): Promise<string[]> {
  const target = resolve(dir);
  mkdirSync(target, { recursive: true });
  const instance = await openForRead(dbPath);
  try {
    const connection = await instance.connect();
    try {
      await viewJournal(connection, resolve(dbPath)); // a crashed writer's journalled sends
      const files: string[] = [];
      for (const table of TABLE_NAMES) {
        const file = join(target, `${table}.parquet`);
        await connection.run(`COPY ${table} TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`);
        files.push(file);
      }
      return files;
    } finally {
      connection.closeSync();
    }
  } catch (error) {
    throw historyError('could not export history to Parquet', { path: dbPath, dir: target }, error);
  } finally {
    instance.closeSync();
  }
}
