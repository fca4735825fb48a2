/**
 * One flush of the appended tables as a single transaction on the append connection:
 * every buffer takes its batch (the sends' journal writes and fsyncs it, off the loop:
 * send-journal.ts), then BEGIN, every batch through its Appender, COMMIT. Appending runs on the
 * event loop; COMMIT (writing and fsyncing the WAL: about two thirds of an autocommitted
 * `Appender.flushSync`, measured) runs on a DuckDB thread instead of blocking the loop.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { historyError } from './history-error.ts';

/** What a commit needs of a TableBuffer. */
export interface AppendBuffer {
  take(): Promise<number>;
  /** Event-loop time the last `take` spent (the sends' journal encodes its frame there). */
  readonly takeLoopMs: number;
  flush(): number;
  settle(committed: boolean): void;
}

export interface CommitResult {
  rows: number;
  /** Event-loop time spent appending (the commit itself ran off the loop). */
  loopMs: number;
}

/** Commits every buffer's waiting rows together; on failure none of them is committed. */
export async function commitBuffers(
  connection: DuckDBConnection,
  buffers: readonly AppendBuffer[],
  path: string,
): Promise<CommitResult> {
  try {
    for (const buffer of buffers) await buffer.take(); // one at a time: a failed one settles the rest below
  } catch (error) {
    for (const buffer of buffers) buffer.settle(false);
    throw error;
  }
  try {
    await connection.run('BEGIN TRANSACTION');
  } catch (error) {
    for (const buffer of buffers) buffer.settle(false);
    throw historyError('could not begin a history transaction', { path }, error);
  }
  const started = performance.now();
  let rows = 0;
  try {
    for (const buffer of buffers) rows += buffer.flush();
  } catch (error) {
    await rollBack(connection, buffers);
    throw error;
  }
  let loopMs = performance.now() - started;
  for (const buffer of buffers) loopMs += buffer.takeLoopMs;
  try {
    await connection.run('COMMIT');
  } catch (error) {
    await rollBack(connection, buffers);
    throw historyError(`could not commit ${rows} history rows`, { path }, error);
  }
  for (const buffer of buffers) buffer.settle(true);
  return { rows, loopMs };
}

async function rollBack(connection: DuckDBConnection, buffers: readonly AppendBuffer[]): Promise<void> {
  for (const buffer of buffers) buffer.settle(false);
  try {
    await connection.run('ROLLBACK');
  } catch {
    // a failed COMMIT has already rolled back; the first error is the one to report
  }
}
