import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The filler's name on the broker's disk (beside the log dir, never inside it). */
export const FILLER_NAME = 'streamproof-filler';

const CHUNKS = [1024 * 1024, 64 * 1024, 4096, 512];

/**
 * Writes one file at `root` until the filesystem refuses (ENOSPC), in big chunks first and
 * then smaller ones so the last free block is taken too. Writes rather than fallocate: Node
 * has no fallocate, and a written page is taken for sure on every filesystem. Returns the
 * bytes written. The broker keeps writing meanwhile: whoever asks for the last block loses.
 */
export async function fillDisk(root: string): Promise<{ file: string; bytes: number }> {
  const file = join(root, FILLER_NAME);
  const handle = await open(file, 'w');
  let bytes = 0;
  try {
    for (const size of CHUNKS) {
      const chunk = Buffer.alloc(size, 0x5a); // not zeros: no filesystem may keep them sparse
      for (;;) {
        try {
          const { bytesWritten } = await handle.write(chunk, 0, size, bytes);
          bytes += bytesWritten;
          if (bytesWritten < size) break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    await handle.close();
  }
  return { file, bytes };
}

/** Frees what fillDisk took. Idempotent. */
export async function freeFiller(file: string): Promise<void> {
  await rm(file, { force: true });
}
