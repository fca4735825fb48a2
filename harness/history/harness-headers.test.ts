import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPED_HEADER_COLUMNS, typedHeaders } from './harness-headers.ts';
import { HistoryReader } from './history-reader.ts';
import { HistoryWriter } from './history-writer.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();

/** Headers as SUTs really write them, and the malformed ones a checker must not trip on. */
const HEADERS: unknown[] = [
  { 'sp-event-id': 'ev-1', 'sp-send-ts': '1767225600000123', 'sp-source': 'orders/3/42' },
  { 'sp-event-id': 'ev-2', 'sp-dlq-reason': 'malformed-json', 'sp-source': 'orders/0/0' },
  { 'sp-send-ts': ' 17 ', 'sp-source': 'no-slashes' },
  { 'sp-send-ts': 'soon', 'sp-source': 'orders/x/y', 'sp-event-id': 7 },
  { 'sp-source': 'orders/99999999999/5', 'sp-event-id': { nested: true } },
  { 'sp-source': '/1/2', other: 'x' },
  null,
  {},
];

const names = TYPED_HEADER_COLUMNS.map((c) => c.name);

async function writeHistory(): Promise<string> {
  const path = join(tempDir(), 'history.duckdb');
  const writer = await HistoryWriter.open(path);
  HEADERS.forEach((headers, offset) => writer.recordObserved({ role: 'records', topic: 'out', partition: 0, offset, headers, observedUs: 1 }));
  await writer.close();
  return path;
}

/** The typed columns as stored, and as the SQL derivation computes them from the same rows' JSON. */
async function storedAndDerived(reader: HistoryReader) {
  return reader.query<Record<string, unknown>>(`SELECT ${names.join(', ')}, ${TYPED_HEADER_COLUMNS.map((c) => `${c.sql} AS sql_${c.name}`).join(', ')}
    FROM observed ORDER BY "offset"`);
}

/** Turns a current history into one written before the typed columns existed (schema version 2). */
async function makeVersion2(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  for (const name of names) await connection.run(`ALTER TABLE observed DROP COLUMN ${name}`);
  await connection.run(`UPDATE run_meta SET value = '2'::JSON WHERE key = 'history.schema_version'`);
  connection.closeSync();
  instance.closeSync();
}

describe('typed harness headers', () => {
  it('are what the SQL derivation reads from the headers JSON, row by row', async () => {
    const reader = await HistoryReader.open(await writeHistory());
    try {
      const rows = await storedAndDerived(reader);
      expect(rows).toHaveLength(HEADERS.length);
      for (const row of rows) for (const name of names) expect(row[name], name).toEqual(row[`sql_${name}`]);
      expect(rows[0]).toMatchObject({ hdr_event_id: 'ev-1', hdr_send_us: 1767225600000123, hdr_source_partition: 3, hdr_source_offset: 42 });
      expect(rows[2]).toMatchObject({ hdr_send_us: 17, hdr_source_partition: null });
      expect(rows[4]).toMatchObject({ hdr_source_partition: null, hdr_source_offset: 5 });
    } finally {
      reader.close();
    }
  });

  it('of an old file are derived by a reader, and filled in by a writer that migrates it', async () => {
    const path = await writeHistory();
    await makeVersion2(path);
    const reader = await HistoryReader.open(path);
    try {
      const rows = await storedAndDerived(reader);
      expect(rows[0]).toMatchObject({ hdr_event_id: 'ev-1', hdr_source_offset: 42 });
      for (const row of rows) for (const name of names) expect(row[name], name).toEqual(row[`sql_${name}`]);
    } finally {
      reader.close();
    }
    const writer = await HistoryWriter.open(path);
    writer.recordObserved({ role: 'records', topic: 'out', partition: 0, offset: 100, headers: { 'sp-event-id': 'after' }, observedUs: 2 });
    await writer.close();
    const migrated = await HistoryReader.open(path);
    try {
      const [version] = await migrated.query<{ v: string }>(`SELECT value::VARCHAR AS v FROM run_meta WHERE key = 'history.schema_version'`);
      expect(version!.v).toBe('3');
      const rows = await migrated.query<{ hdr_event_id: string | null }>('SELECT hdr_event_id FROM observed ORDER BY "offset"');
      expect(rows.map((r) => r.hdr_event_id)).toEqual([...HEADERS.map((h) => typedHeaders(h).hdrEventId), 'after']);
    } finally {
      migrated.close();
    }
  });
});
