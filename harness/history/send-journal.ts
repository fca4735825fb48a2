/**
 * The sends' buffer while a writer is open: rows are journalled, not appended to DuckDB.
 * Each flush encodes the waiting rows as one frame (journal-frame.ts) on the event loop
 * (about 1.5 µs a row) and appends it to the journal (journal-segments.ts: write and
 * fdatasync off the loop); once that resolves the rows are durable, before and apart from
 * the DuckDB commit of the other tables. The writer folds the journal into `sends` at close
 * (journal-fold.ts). Appending the same rows to DuckDB during the run took 8-10 µs a row of
 * the producer's event loop, and copying 1 KB values into DuckDB's rows, WAL and
 * checkpoints was two thirds of what recording cost (docs/history-schema.md).
 */
import type { AppendBuffer } from './append-commit.ts';
import { historyError } from './history-error.ts';
import { encodeFrame } from './journal-frame.ts';
import type { JournalRow } from './journal-frame.ts';
import type { JournalSegments } from './journal-segments.ts';
import { sendJournalRow } from './row-appenders.ts';
import type { PreparedSend } from './row-validation.ts';

export class SendJournal implements AppendBuffer {
  private rows: JournalRow[] = [];
  private inFlight = 0;
  private committed = 0;
  private encodeMs = 0;

  constructor(
    private readonly segments: JournalSegments,
    /** Indexes of the BLOB columns of `sends`. */
    private readonly blobColumns: readonly number[],
  ) {}

  push(row: PreparedSend): void {
    this.rows.push(sendJournalRow(row));
  }

  /** Rows not durable yet: waiting for the next flush, or being written. */
  get bufferedRows(): number {
    return this.rows.length + this.inFlight;
  }

  /** Rows this journal made durable since it was opened. */
  get committedRows(): number {
    return this.committed;
  }

  /** Writes every waiting row as one frame and waits until it is on disk. */
  async take(): Promise<number> {
    const batch = this.rows;
    this.rows = [];
    this.inFlight = batch.length;
    if (batch.length === 0) return 0;
    try {
      const started = performance.now();
      const frame = encodeFrame(batch, this.blobColumns);
      this.encodeMs = performance.now() - started;
      await this.segments.append(frame);
    } catch (error) {
      this.inFlight = 0;
      throw historyError(`could not journal ${batch.length} sends`, { table: 'sends' }, error);
    }
    return batch.length;
  }

  /** Event-loop time the last `take` spent encoding its frame. */
  get takeLoopMs(): number {
    return this.encodeMs;
  }

  /** Nothing to append: the frame written by `take` is the batch. */
  flush(): number {
    return this.inFlight;
  }

  settle(committed: boolean): void {
    if (committed) this.committed += this.inFlight;
    this.inFlight = 0;
  }

  async close(): Promise<void> {
    await this.segments.close();
  }
}
