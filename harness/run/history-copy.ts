/**
 * A run with several SUTs on one input (`streamproof compare`) keeps one history per SUT so
 * the checkers judge each on its own. The run-wide rows (sends, phases, faults, tool
 * summaries, workload metrics, run facts) are written once, into the first history, and
 * copied into the others after every writer has closed.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { resolve } from 'node:path';
import { historyError } from '../history/history-error.ts';

/** Metrics that belong to one SUT (its consumer lag, its group's assignment): never copied. */
export const PER_SUT_METRICS = ['lag', 'input.committed', 'partition.lag', 'group.owner'];

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Copies the run-wide rows of `fromPath` into `toPath`; run facts already set in `toPath` win. */
export async function copyRunWideRows(fromPath: string, toPath: string): Promise<void> {
  const instance = await DuckDBInstance.create(resolve(toPath));
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH ${quote(resolve(fromPath))} AS source (READ_ONLY)`);
    await connection.run('BEGIN TRANSACTION');
    await connection.run('INSERT INTO sends SELECT * FROM source.sends');
    await connection.run('INSERT INTO phases SELECT * FROM source.phases');
    await connection.run('INSERT INTO faults SELECT * FROM source.faults');
    await connection.run('INSERT INTO summaries SELECT * FROM source.summaries');
    // A SUT's scraped metrics (sut.<name>, sut.scrape.up) are its own; its error lines are compared across sides, so they are copied.
    await connection.run(`INSERT INTO metrics SELECT * FROM source.metrics WHERE name NOT IN (${PER_SUT_METRICS.map(quote).join(', ')}) AND (name NOT LIKE 'sut.%' OR name = 'sut.error_lines')`);
    await connection.run('INSERT INTO run_meta SELECT * FROM source.run_meta WHERE key NOT IN (SELECT key FROM run_meta)');
    await connection.run('COMMIT');
    await connection.run('DETACH source');
    await connection.run('CHECKPOINT');
  } catch (error) {
    throw historyError('could not copy the run-wide rows between histories', { from: fromPath, to: toPath }, error);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
