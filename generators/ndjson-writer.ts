import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { HarnessError } from '../harness/errors.ts';
import type { GeneratedRecord } from './record.ts';

export interface NdjsonSummary {
  path: string;
  records: number;
  /** Bytes written, newlines included. */
  bytes: number;
}

const NEWLINE = Buffer.from('\n');

/**
 * Streams record values to `path`, one per line: each line is exactly the value bytes sent to
 * Kafka, followed by '\n'. Generated values never contain a newline byte (JSON.stringify
 * escapes them, and malformed-json poison is a prefix of such text), so line i is record i's
 * value, byte for byte, including poison that is not valid JSON or UTF-8. A value that does
 * contain a newline is refused rather than silently split or re-encoded.
 */
export async function writeNdjson(records: Iterable<GeneratedRecord> | AsyncIterable<GeneratedRecord>, path: string): Promise<NdjsonSummary> {
  const out = createWriteStream(path);
  let failure: unknown;
  out.on('error', (error) => (failure ??= error)); // kept, so a write error is never an uncaught 'error'
  let count = 0;
  let bytes = 0;
  try {
    await once(out, 'open'); // a bad path fails here, before any record is generated
    for await (const record of records) {
      if (failure !== undefined) throw failure;
      if (record.value.includes(0x0a)) {
        throw new HarnessError('INTERNAL', `writeNdjson: record ${record.index} (${record.eventId}) has a newline byte in its value`, {
          context: { index: record.index, eventId: record.eventId },
        });
      }
      out.write(record.value);
      const belowHighWater = out.write(NEWLINE); // both writes always happen; back off after the pair
      count++;
      bytes += record.value.length + 1;
      if (!belowHighWater) await once(out, 'drain');
    }
    out.end();
    await finished(out);
  } catch (error) {
    if (!out.closed) {
      const closed = once(out, 'close');
      out.destroy();
      await closed;
    }
    throw error;
  }
  return { path, records: count, bytes };
}
