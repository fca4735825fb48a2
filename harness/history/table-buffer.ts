/**
 * Rows of one appended table (sends, observed, metrics) held in memory until the next
 * flush, then written through a DuckDB Appender and committed together. Rows still in the
 * buffer are lost if the process dies; committed rows are in the WAL and survive it.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import { historyError } from './history-error.ts';

export type RowWriter<R> = (appender: DuckDBAppender, row: R) => void;

export class TableBuffer<R> {
  private rows: R[] = [];
  private committed = 0;

  constructor(
    readonly table: string,
    private readonly appender: DuckDBAppender,
    private readonly write: RowWriter<R>,
  ) {}

  push(row: R): void {
    this.rows.push(row);
  }

  /** Rows waiting for the next flush. */
  get bufferedRows(): number {
    return this.rows.length;
  }

  /** Rows committed to the database by this buffer since it was created. */
  get committedRows(): number {
    return this.committed;
  }

  /**
   * Appends every buffered row and commits them (one transaction, unless the batch is larger
   * than the Appender's own auto-flush size of 204,800 rows). Returns the number committed.
   * On failure the batch is discarded and a HISTORY_FAILED error thrown.
   */
  flush(): number {
    const rows = this.rows;
    if (rows.length === 0) return 0;
    this.rows = [];
    try {
      for (const row of rows) this.write(this.appender, row);
      this.appender.flushSync();
    } catch (error) {
      try {
        this.appender.clear();
      } catch {
        // the appender is already unusable; the first error is the one to report
      }
      throw historyError(`could not append ${rows.length} rows to ${this.table}`, { table: this.table }, error);
    }
    this.committed += rows.length;
    return rows.length;
  }

  /** Closes the Appender; call `flush()` first (closing also flushes, but hides errors' batch size). */
  close(): void {
    this.appender.closeSync();
  }
}
