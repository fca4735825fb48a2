import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from './history-reader.ts';
import { HistoryWriter } from './history-writer.ts';
import { sampleSend } from './testing/sample-rows.ts';
import { useTempDir } from './testing/temp-dir.ts';
import { valuesDir } from './value-segments.ts';

const tempDir = useTempDir();

/** The files of an open writer after a flush: what a kill -9 would leave (no checkpoint runs meanwhile). */
function crashImage(path: string, to: string): void {
  for (const suffix of ['', '.wal']) cpSync(`${path}${suffix}`, `${to}${suffix}`);
  cpSync(valuesDir(path), valuesDir(to), { recursive: true });
}

async function tables(path: string): Promise<string[]> {
  const reader = await HistoryReader.open(path);
  try {
    return (await reader.query<{ name: string }>('SELECT table_name AS name FROM duckdb_tables() ORDER BY 1')).map((t) => t.name);
  } finally {
    reader.close();
  }
}

async function sendIdsAndValues(path: string): Promise<[number, boolean][]> {
  const reader = await HistoryReader.open(path);
  try {
    return (await reader.sends()).map((s) => [s.sendId, Buffer.compare(s.value, Buffer.from(sampleSend(s.sendId).value)) === 0]);
  } finally {
    reader.close();
  }
}

describe('staged sends', () => {
  it('are folded into sends.value at close: a finished history has no staging table and no values directory', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    for (let i = 0; i < 10; i++) writer.recordSend(sampleSend(i));
    await writer.flush();
    expect(existsSync(valuesDir(path))).toBe(true);
    await writer.close();
    expect(existsSync(valuesDir(path))).toBe(false);
    expect(await tables(path)).toEqual(['faults', 'metrics', 'observed', 'phases', 'run_meta', 'sends', 'summaries']);
    expect(await sendIdsAndValues(path)).toEqual(Array.from({ length: 10 }, (_, i) => [i, true]));
  });

  it("after a crash: a reader sees the staged sends with their values, the next writer folds them", async () => {
    const dir = tempDir();
    const path = join(dir, 'history.duckdb');
    const crashed = join(dir, 'crashed.duckdb');
    const writer = await HistoryWriter.open(path);
    for (let i = 0; i < 5; i++) writer.recordSend(sampleSend(i));
    await writer.close(); // five sends folded
    const again = await HistoryWriter.open(path);
    for (let i = 5; i < 12; i++) again.recordSend(sampleSend(i));
    await again.flush(); // seven staged
    crashImage(path, crashed);
    await again.close();

    const expected = Array.from({ length: 12 }, (_, i) => [i, true]);
    expect(await sendIdsAndValues(crashed)).toEqual(expected);
    expect(existsSync(valuesDir(crashed)), 'reading changes nothing').toBe(true);
    const next = await HistoryWriter.open(crashed);
    next.recordSend(sampleSend(12));
    await next.close();
    expect(existsSync(valuesDir(crashed))).toBe(false);
    expect(await sendIdsAndValues(crashed)).toEqual([...expected, [12, true]]);
  });
});
