/**
 * After a run with a registry: every observed value in the wire format is replaced by the event
 * it carries, as JSON (what the checkers read), and its schema id recorded. The bytes on the
 * wire stay in the input topics and in `sends.wire`; the run's sends already carry their JSON.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { resolve } from 'node:path';
import { historyError } from '../history/history-error.ts';
import type { WireDecoder } from './wire-decoder.ts';

export interface DecodeSummary {
  framed: number;
  decoded: number;
}

export async function decodeObservedValues(historyPath: string, decoder: WireDecoder): Promise<DecodeSummary> {
  const instance = await DuckDBInstance.create(resolve(historyPath));
  const connection = await instance.connect();
  try {
    // Framed values only: magic byte 0 and a 4-byte id.
    const reader = await connection.runAndReadAll(`SELECT rowid::BIGINT AS r, value FROM observed WHERE value IS NOT NULL AND octet_length(value) >= 5 AND left(hex(value), 2) = '00'`);
    const rows = reader.getRowObjectsJS() as { r: bigint; value: { bytes: Uint8Array } | Uint8Array }[];
    let decoded = 0;
    await connection.run('CREATE TEMP TABLE decoded (r BIGINT, value BLOB, schema_id INTEGER)');
    const appender = await connection.createAppender('decoded');
    for (const row of rows) {
      const bytes = row.value instanceof Uint8Array ? row.value : row.value.bytes;
      const d = await decoder.decode(bytes);
      if (!d) continue;
      if (d.decoded) decoded++;
      appender.appendBigInt(BigInt(row.r));
      appender.appendBlob(d.value);
      appender.appendInteger(d.schemaId);
      appender.endRow();
    }
    appender.closeSync();
    await connection.run('UPDATE observed SET value = d.value, schema_id = d.schema_id FROM decoded d WHERE observed.rowid = d.r');
    await connection.run('CHECKPOINT');
    return { framed: rows.length, decoded };
  } catch (error) {
    throw historyError('could not decode the wire-format values of the history', { path: historyPath }, error);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
