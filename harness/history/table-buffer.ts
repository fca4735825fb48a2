/**
 * Rows of one appended table (sends, observed, metrics) held in memory until the next
 * flush, then written through a DuckDB Appender into the append connection's open
 * transaction. They count as committed only once the caller's COMMIT succeeded (`settle`):
 * rows not yet committed are lost if the process dies; committed rows are in the WAL.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import { historyError } from './history-error.ts';

/** Writes a batch of rows into an Appender (as data chunks: chunk-writer.ts). */
export type RowsWriter<R> = (appender: DuckDBAppender, rows: readonly R[]) => void;

export class TableBuffer<R> {
  private rows: R[] = [];
  private batch: R[] = [];
  private inFlight = 0;
  private committed = 0;
  private closed = false;

  constructor(
    readonly table: string,
    private readonly appender: DuckDBAppender,
    private readonly write: RowsWriter<R>,
  ) {}

  push(row: R): void {
    this.rows.push(row);
  }

  /** Rows not committed yet: waiting for the next flush, or in a commit still running. */
  get bufferedRows(): number {
    return this.rows.length + this.inFlight;
  }

  /** Rows committed to the database by this buffer since it was created. */
  get committedRows(): number {
    return this.committed;
  }

  readonly takeLoopMs = 0;

  /** Takes every waiting row as the next batch; rows pushed meanwhile wait for the batch after. */
  async take(): Promise<number> {
    this.batch = this.rows;
    this.rows = [];
    this.inFlight = this.batch.length;
    return this.batch.length;
  }

  /**
   * Appends the batch taken last and flushes the Appender into the connection's open
   * transaction. Returns the number appended; call `settle` once the transaction ends.
   * On failure the batch is discarded and a HISTORY_FAILED error thrown.
   */
  flush(): number {
    const rows = this.batch;
    if (rows.length === 0) return 0;
    try {
      this.write(this.appender, rows);
      this.appender.flushSync();
    } catch (error) {
      try {
        this.appender.clear();
      } catch {
        // the appender is already unusable; the first error is the one to report
      }
      this.settle(false);
      throw historyError(`could not append ${rows.length} rows to ${this.table}`, { table: this.table }, error);
    }
    return rows.length;
  }

  /** Ends the last batch: its rows were committed, or (rolled back) are gone. */
  settle(committed: boolean): void {
    if (committed) this.committed += this.inFlight;
    this.inFlight = 0;
    this.batch = [];
  }

  /** Closes the Appender; call `flush()` first (closing also flushes, but hides errors' batch size). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.appender.closeSync();
  }
}
