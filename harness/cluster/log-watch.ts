import { open, stat } from 'node:fs/promises';

/** Current size of a file (0 if missing): where to start watching for new lines. */
export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Reads what a file gained since `from`. */
export async function readFrom(path: string, from: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = (await handle.stat()).size;
    if (size <= from) return '';
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The last `count` non-empty lines of a text, for error messages. */
export function lastLines(text: string, count: number): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(-count);
}
