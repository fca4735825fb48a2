import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HarnessError } from '../../harness/errors.ts';
import type { Domain } from '../domain.ts';

/** One event of a captured sample: its fields as read, and what the domain's roles say about it. */
export interface SampleEvent {
  fields: Record<string, unknown>;
  /** Event time (epoch ms) read from the domain's `$eventTime` field. */
  timeMs: number;
  key: string;
  /** The sample's own event id, when it carries one. */
  eventId: string | undefined;
  schemaVersion: number;
}

/** A captured NDJSON sample, read and checked against the domain that describes it. */
export interface Sample {
  path: string;
  sha256: string;
  events: SampleEvent[];
}

function fail(where: string, message: string): never {
  throw new HarnessError('CONFIG_INVALID', `${where}: ${message}`);
}

/**
 * Reads an NDJSON sample (one JSON object per line; blank lines skipped). The domain names the
 * fields: `$eventTime` (required on every line, in the domain's time format), `$key` (required:
 * replay keeps the sample's keys), `$eventId` and `$schemaVersion` (optional per line).
 */
export function readSample(path: string, domain: Domain): Sample {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    fail(path, `cannot read sample: ${(error as Error).message}`);
  }
  const { roles } = domain;
  if (roles.key === undefined) fail(path, `domain '${domain.name}' names no key field ('$key'): a replay keeps the sample's keys`);
  const events: SampleEvent[] = [];
  const lines = bytes.toString('utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path}:${i + 1}`;
    let fields: unknown;
    try {
      fields = JSON.parse(line);
    } catch (error) {
      fail(where, `not JSON: ${(error as Error).message}`);
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) fail(where, 'expected a JSON object');
    const record = fields as Record<string, unknown>;
    const timeMs = domain.eventTime.parse(record[roles.eventTime]);
    if (timeMs === undefined) fail(where, `'${roles.eventTime}' is not an event time in the domain's format: ${JSON.stringify(record[roles.eventTime])}`);
    const key = record[roles.key!];
    if (typeof key !== 'string' && typeof key !== 'number') fail(where, `'${roles.key}' (the key) is not a string or number: ${JSON.stringify(key)}`);
    const id = record[roles.eventId];
    const version = roles.schemaVersion === undefined ? undefined : record[roles.schemaVersion];
    events.push({
      fields: record,
      timeMs,
      key: String(key),
      eventId: typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? String(id) : undefined,
      schemaVersion: typeof version === 'number' ? version : 1,
    });
  });
  if (events.length === 0) fail(path, 'the sample has no events');
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), events };
}
