import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from './history-reader.ts';
import { HistoryWriter } from './history-writer.ts';
import { sampleMetric, sampleObserved, sampleSend } from './testing/sample-rows.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();

describe('ChunkWriter (through HistoryWriter)', () => {
  it('writes batches of several data chunks value for value, NULLs included', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const rows = 2 * 2048 + 404; // two full chunks and a partial one, reusing the chunk
    const sends = Array.from({ length: rows }, (_, i) => sampleSend(i, 40));
    const observed = Array.from({ length: rows }, (_, i) => sampleObserved(i));
    const metrics = Array.from({ length: rows }, (_, i) => sampleMetric(i));
    const writer = await HistoryWriter.open(path);
    sends.forEach((row) => writer.recordSend(row));
    observed.forEach((row) => writer.recordObserved(row));
    metrics.forEach((row) => writer.recordMetric(row));
    await writer.close();

    const reader = await HistoryReader.open(path);
    try {
      expect(await reader.sends()).toEqual(sends.map((s) => ({ ...s, value: Buffer.from(s.value), truthDetail: s.truthDetail ?? null })));
      expect(await reader.observed()).toEqual(
        observed.map((o) => ({ ...o, value: o.value ? Buffer.from(o.value) : null, headers: o.headers ?? null })),
      );
      expect(await reader.metrics()).toEqual(metrics.map((m) => ({ ...m, labels: m.labels ?? null })));
    } finally {
      reader.close();
    }
  });

  it('keeps every safe integer exact in BIGINT columns (they travel as DOUBLE)', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const extremes = [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 - 2, -1, 0, 1_760_000_000_123_457];
    const sends = extremes.map((n, i) => ({ ...sampleSend(i, 8), sendId: i, offset: n, invokeUs: n, completeUs: 0 - n || 0, eventTimeMs: n }));
    const writer = await HistoryWriter.open(path);
    sends.forEach((row) => writer.recordSend(row));
    await writer.close();
    const reader = await HistoryReader.open(path);
    try {
      const got = await reader.sends();
      expect(got.map((s) => [s.offset, s.invokeUs, s.completeUs, s.eventTimeMs])).toEqual(sends.map((s) => [s.offset, s.invokeUs, s.completeUs, s.eventTimeMs]));
    } finally {
      reader.close();
    }
  });
});
