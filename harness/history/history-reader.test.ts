import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from './history-reader.ts';
import { HistoryWriter } from './history-writer.ts';
import { sampleSend } from './testing/sample-rows.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();

async function historyWithSends(count: number): Promise<string> {
  const path = join(tempDir(), 'history.duckdb');
  const writer = await HistoryWriter.open(path);
  for (let i = 0; i < count; i++) writer.recordSend(sampleSend(i, 32));
  await writer.close();
  return path;
}

describe('HistoryReader', () => {
  it('answers SQL with plain values: safe BIGINT as number, BLOB as Buffer, JSON parsed', async () => {
    const reader = await HistoryReader.open(await historyWithSends(60));
    try {
      const rows = await reader.query(
        `SELECT send_id, value, truth_detail, 9007199254740993::BIGINT AS big, 1.5::DOUBLE AS d, NULL AS n
         FROM sends WHERE truth = ? AND send_id > ? ORDER BY send_id`,
        ['poison', 10],
      );
      expect(rows).toEqual([
        { send_id: 53, value: expect.any(Buffer), truth_detail: { reason: 'bad-json', field: 'amount' }, big: 9007199254740993n, d: 1.5, n: null },
      ]);
      const named = await reader.query<{ c: number }>('SELECT count(*) AS c FROM sends WHERE outcome = $outcome', {
        outcome: 'info',
      });
      expect(named).toEqual([{ c: 6 }]);
      const blob = await reader.query('SELECT ?::BLOB = value AS same FROM sends WHERE send_id = 0', [sampleSend(0, 32).value]);
      expect(blob).toEqual([{ same: true }]);
    } finally {
      reader.close();
    }
  });

  it('is read-only and reports bad SQL as HISTORY_FAILED', async () => {
    const reader = await HistoryReader.open(await historyWithSends(1));
    try {
      await expect(reader.query("INSERT INTO run_meta VALUES ('x', '1')")).rejects.toThrow(/read-only/i);
      await expect(reader.query('SELECT nope FROM sends')).rejects.toMatchObject({ code: 'HISTORY_FAILED' });
    } finally {
      reader.close();
    }
    await expect(reader.sends()).rejects.toThrow(/closed/);
  });

  it('refuses a missing file instead of creating one', async () => {
    const path = join(tempDir(), 'missing.duckdb');
    await expect(HistoryReader.open(path)).rejects.toThrow(/no history file/);
    expect(existsSync(path)).toBe(false);
  });
});
