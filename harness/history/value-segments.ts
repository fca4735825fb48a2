/**
 * Send values kept out of DuckDB's rows while a run writes: each flush's values are appended,
 * back to back, to a segment file beside the history (`<file>.values/<n>.bin`) and made
 * durable (write + fdatasync, both on libuv's threads) before the flush's rows, which carry
 * each value's segment, offset and length, are committed. Copying 1 KB values into DuckDB's
 * rows, WAL and checkpoints was two thirds of what recording a send cost the producer
 * (docs/history-schema.md); here a value costs one copy into the page cache. The values are
 * moved into `sends.value` when the writer closes (staged-sends.ts).
 *
 * Bytes written for a batch whose COMMIT never happened (a crash in between) stay in the
 * segment, unreferenced: harmless, and removed with the segment once its rows are folded.
 */
import { mkdirSync, openSync, closeSync, fsyncSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { historyError } from './history-error.ts';

/** A segment is closed and the next one started past this size: bounds the memory of folding one. */
export const SEGMENT_BYTES = 32 * 1024 * 1024;

const SEGMENT_NAME = /^(\d+)\.bin$/;

/** Where a batch's values went: the segment's file name and the first value's offset. */
export interface SegmentSpan {
  file: string;
  at: number;
}

/** The directory holding the segments of the history file `dbPath`. */
export function valuesDir(dbPath: string): string {
  return `${dbPath}.values`;
}

/** Segment file names present in `dir` (none if it does not exist). */
export function segmentFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => SEGMENT_NAME.test(name)).sort();
  } catch {
    return [];
  }
}

/** Removes the values directory of `dbPath` (its values are all folded, or never committed). */
export function removeValuesDir(dbPath: string): void {
  rmSync(valuesDir(dbPath), { recursive: true, force: true });
}

export class ValueSegments {
  private handle: FileHandle | undefined;
  private file = '';
  private size = 0;
  private next: number;

  constructor(
    readonly dir: string,
    private readonly segmentBytes = SEGMENT_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    const last = segmentFiles(dir).at(-1);
    this.next = last === undefined ? 1 : Number(SEGMENT_NAME.exec(last)![1]) + 1;
  }

  /**
   * Appends `values` in order to the current segment and returns where the first one starts;
   * resolves once they are on disk (fdatasync). One call at a time.
   */
  async append(values: readonly Uint8Array[]): Promise<SegmentSpan> {
    try {
      if (!this.handle || this.size >= this.segmentBytes) await this.roll();
      const span = { file: this.file, at: this.size };
      let bytes = 0;
      for (const value of values) bytes += value.byteLength;
      const { bytesWritten } = await this.handle!.writev(values as Uint8Array[], this.size);
      if (bytesWritten !== bytes) throw new Error(`wrote ${bytesWritten} of ${bytes} bytes`);
      this.size += bytes;
      await this.handle!.datasync();
      return span;
    } catch (error) {
      throw historyError('could not write send values beside the history', { dir: this.dir, file: this.file }, error);
    }
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async roll(): Promise<void> {
    await this.handle?.close();
    this.file = `${String(this.next++).padStart(8, '0')}.bin`;
    this.handle = await open(join(this.dir, this.file), 'wx');
    this.size = 0;
    syncDir(this.dir); // the new name must survive power loss as well as its bytes
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
