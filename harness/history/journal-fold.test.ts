import { appendFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from './history-reader.ts';
import { HistoryWriter } from './history-writer.ts';
import { FOLDED_KEY } from './journal-fold.ts';
import { journalDir, segmentFiles } from './journal-segments.ts';
import { sampleSend } from './testing/sample-rows.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();

/** The files of an open writer after a flush: what a kill -9 would leave (no checkpoint runs meanwhile). */
function crashImage(path: string, to: string): void {
  for (const suffix of ['', '.wal']) if (existsSync(`${path}${suffix}`)) cpSync(`${path}${suffix}`, `${to}${suffix}`);
  cpSync(journalDir(path), journalDir(to), { recursive: true });
}

async function read<T>(path: string, work: (reader: HistoryReader) => Promise<T>): Promise<T> {
  const reader = await HistoryReader.open(path);
  try {
    return await work(reader);
  } finally {
    reader.close();
  }
}

/** [send id, whether every column matches the sample] per send, by send id. */
const sendsAsSampled = (path: string) =>
  read(path, async (reader) =>
    (await reader.sends()).map((s) => {
      const expected = sampleSend(s.sendId);
      return [s.sendId, JSON.stringify({ ...s, value: [...s.value] }) === JSON.stringify({ ...expected, value: [...expected.value], truthDetail: expected.truthDetail ?? null })];
    }),
  );

describe('send journal', () => {
  it('is folded into sends at close: a finished history has the plain tables and no journal', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    for (let i = 0; i < 10; i++) writer.recordSend(sampleSend(i));
    await writer.flush();
    expect(segmentFiles(journalDir(path))).toHaveLength(1);
    await writer.close();
    expect(existsSync(journalDir(path))).toBe(false);
    expect(await read(path, (r) => r.query<{ n: string }>('SELECT table_name AS n FROM duckdb_tables() ORDER BY 1'))).toEqual(
      ['faults', 'metrics', 'observed', 'phases', 'run_meta', 'sends', 'summaries'].map((n) => ({ n })),
    );
    expect(await sendsAsSampled(path)).toEqual(Array.from({ length: 10 }, (_, i) => [i, true]));
  });

  it('after a crash: a reader sees the journalled sends, a torn last frame is dropped, the next writer folds them once', async () => {
    const dir = tempDir();
    const path = join(dir, 'history.duckdb');
    const crashed = join(dir, 'crashed.duckdb');
    const writer = await HistoryWriter.open(path);
    for (let i = 0; i < 5; i++) writer.recordSend(sampleSend(i));
    await writer.close(); // five sends folded
    const again = await HistoryWriter.open(path);
    for (let i = 5; i < 9; i++) again.recordSend(sampleSend(i));
    await again.flush();
    for (let i = 9; i < 12; i++) again.recordSend(sampleSend(i));
    await again.flush(); // seven journalled, in two frames
    crashImage(path, crashed);
    await again.close();
    const [segment] = segmentFiles(journalDir(crashed));
    appendFileSync(join(journalDir(crashed), segment!), Buffer.from([0x53, 0x50, 0x4a, 0x31, 9, 9])); // a torn third frame

    const expected = Array.from({ length: 12 }, (_, i) => [i, true]);
    expect(await sendsAsSampled(crashed)).toEqual(expected);
    expect(segmentFiles(journalDir(crashed)), 'reading changes nothing').toEqual([segment]);
    const next = await HistoryWriter.open(crashed);
    next.recordSend(sampleSend(12));
    await next.close();
    expect(existsSync(journalDir(crashed))).toBe(false);
    expect(await sendsAsSampled(crashed)).toEqual([...expected, [12, true]]);
  });

  it('never folds a segment twice: one listed as folded (a crash after the fold committed) is only deleted', async () => {
    const dir = tempDir();
    const path = join(dir, 'history.duckdb');
    const image = join(dir, 'image.duckdb');
    const writer = await HistoryWriter.open(path);
    for (let i = 0; i < 4; i++) writer.recordSend(sampleSend(i));
    await writer.flush();
    crashImage(path, image);
    await writer.close();
    const folded = segmentFiles(journalDir(image));
    const backup = join(dir, 'journal-backup');
    cpSync(journalDir(image), backup, { recursive: true });
    const after = await HistoryWriter.open(image); // folds the four
    await after.setMeta(FOLDED_KEY, folded); // as if the journal had survived its fold
    await after.close();
    cpSync(backup, journalDir(image), { recursive: true });
    expect(await sendsAsSampled(image)).toEqual(Array.from({ length: 4 }, (_, i) => [i, true]));
    await (await HistoryWriter.open(image)).close();
    expect(existsSync(journalDir(image))).toBe(false);
    expect(await sendsAsSampled(image)).toEqual(Array.from({ length: 4 }, (_, i) => [i, true]));
    expect(await read(image, (r) => r.meta())).not.toHaveProperty(FOLDED_KEY);
  });
});
