import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportParquet } from './export-parquet.ts';
import { TABLE_NAMES } from './history-schema.ts';
import { HistoryWriter } from './history-writer.ts';
import { queryRows } from './result-rows.ts';
import { sampleMetric, sampleObserved, sampleSend, sampleValue } from './testing/sample-rows.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();

describe('exportParquet', () => {
  it('writes one readable Parquet file per table', async () => {
    const dir = tempDir();
    const path = join(dir, 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    for (let i = 0; i < 300; i++) writer.recordSend(sampleSend(i, 256));
    for (let i = 0; i < 20; i++) writer.recordObserved(sampleObserved(i));
    writer.recordMetric(sampleMetric(0));
    await writer.recordFaultStart({ faultId: "it's", type: 'broker.pause', target: 'broker-0', attrs: { ms: 5 }, startUs: 1 });
    await writer.recordPhase({ name: 'steady', startUs: 0 });
    await writer.recordSummary('k6', { ok: true });
    await writer.close();

    const files = await exportParquet(path, join(dir, "parquet 'out'"));
    expect(files.map((f) => f.split('/').pop())).toEqual(TABLE_NAMES.map((t) => `${t}.parquet`));
    files.forEach((f) => expect(existsSync(f)).toBe(true));

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const count = async (file: string) =>
        (await queryRows<{ c: number }>(connection, 'SELECT count(*) AS c FROM read_parquet(?)', [file]))[0]!.c;
      const counts: number[] = [];
      for (const file of files) counts.push(await count(file));
      expect(counts).toEqual([1, 300, 20, 1, 1, 1, 1]);
      const [send] = await queryRows<Record<string, unknown>>(
        connection,
        'SELECT send_id, value, invoke_us, truth_detail FROM read_parquet(?) WHERE send_id = 3',
        [files[1]!],
      );
      expect(send).toEqual({
        send_id: 3,
        value: sampleValue(3, 256),
        invoke_us: sampleSend(3).invokeUs,
        truth_detail: { reason: 'bad-json', field: 'amount' },
      });
      const [fault] = await queryRows(connection, 'SELECT fault_id, attrs FROM read_parquet(?)', [files[3]!]);
      expect(fault).toEqual({ fault_id: "it's", attrs: { ms: 5 } });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
