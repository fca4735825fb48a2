/**
 * The files of the send journal (send-journal.ts): segments in a directory beside the
 * history (`<file>.journal/`), each a run of frames (journal-frame.ts). A new segment is
 * started past 32 MiB (a fold reads one whole segment at a time) and by each writer; a name
 * is the writer's start time and a counter, so a segment folded once is never confused with
 * a later one of the same number. Appending writes and fdatasyncs on libuv's threads.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { historyError } from './history-error.ts';

export const SEGMENT_BYTES = 32 * 1024 * 1024;

const SEGMENT_NAME = /^[0-9a-z]{8,}-\d{6}\.seg$/;

/** The journal directory of the history file `dbPath`. */
export function journalDir(dbPath: string): string {
  return `${dbPath}.journal`;
}

/** Segment file names in `dir`, oldest first (none if it does not exist). */
export function segmentFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => SEGMENT_NAME.test(name)).sort();
  } catch {
    return [];
  }
}

/** Removes the journal of `dbPath` (its sends are all folded, or none was ever durable). */
export function removeJournal(dbPath: string): void {
  rmSync(journalDir(dbPath), { recursive: true, force: true });
}

export class JournalSegments {
  private handle: FileHandle | undefined;
  private file = '';
  private size = 0;
  private next = 1;
  private readonly prefix = Date.now().toString(36).padStart(9, '0');

  constructor(
    readonly dir: string,
    private readonly segmentBytes = SEGMENT_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Appends `buffers` (one frame) to the current segment; resolves once they are on disk (fdatasync). One call at a time. */
  async append(buffers: readonly Uint8Array[]): Promise<void> {
    try {
      if (!this.handle || this.size >= this.segmentBytes) await this.roll();
      let bytes = 0;
      for (const buffer of buffers) bytes += buffer.byteLength;
      const { bytesWritten } = await this.handle!.writev(buffers as Uint8Array[], this.size);
      if (bytesWritten !== bytes) throw new Error(`wrote ${bytesWritten} of ${bytes} bytes`);
      this.size += bytes;
      await this.handle!.datasync();
    } catch (error) {
      throw historyError('could not write the send journal', { dir: this.dir, file: this.file }, error);
    }
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async roll(): Promise<void> {
    await this.handle?.close();
    this.file = `${this.prefix}-${String(this.next++).padStart(6, '0')}.seg`;
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
