import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { copyRunWideRows } from './history-copy.ts';

const tempDir = useTempDir();

describe('copyRunWideRows', () => {
  it("copies run-wide metrics and error lines, never one SUT's lag, committed offsets or scraped metrics", async () => {
    const dir = tempDir();
    const from = join(dir, 'baseline.duckdb');
    const to = join(dir, 'candidate.duckdb');
    const source = await HistoryWriter.open(from);
    for (const name of ['send.rate', 'host.cpu.busy', 'sut.error_lines', 'lag', 'input.committed', 'sut.dropped_records_total', 'sut.scrape.up']) {
      source.recordMetric({ tsUs: 1, name, labels: { side: 'baseline' }, value: 1 });
    }
    await source.close();
    const target = await HistoryWriter.open(to);
    target.recordMetric({ tsUs: 2, name: 'sut.dropped_records_total', labels: { side: 'candidate' }, value: 7 });
    await target.close();
    await copyRunWideRows(from, to);
    const reader = await HistoryReader.open(to);
    try {
      const rows = await reader.query<{ name: string; side: string }>(`SELECT name, json_extract_string(labels, '$.side') AS side FROM metrics ORDER BY name, side`);
      expect(rows.map((r) => `${r.name}/${r.side}`)).toEqual(['host.cpu.busy/baseline', 'send.rate/baseline', 'sut.dropped_records_total/candidate', 'sut.error_lines/baseline']);
    } finally {
      await reader.close();
    }
  });
});
