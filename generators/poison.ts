import { HarnessError } from '../harness/errors.ts';
import type { Random } from '../harness/random.ts';
import type { Domain, EventPayload } from './domain.ts';
import type { PoisonKind } from './options.ts';
import { currentFieldName } from './schema-drift.ts';

export interface PoisonValue {
  value: Buffer;
  /** The schema_version the value claims (for unknown-schema-version, the unknown one). */
  schemaVersion: number;
}

/** schema_version values no reader knows. */
export const UNKNOWN_SCHEMA_VERSIONS = [0, 3, 99] as const;

/**
 * Corrupts a well-formed event into a poison value of the given kind:
 * - malformed-json: a proper prefix of the JSON text (never parses: the top-level object never closes);
 * - wrong-type: one required field gets a value of the wrong JSON type (e.g. amount as a string);
 * - missing-field: one required field is dropped;
 * - oversized: valid JSON padded with a `padding` string to exactly `oversizedBytes` bytes;
 * - unknown-schema-version: valid JSON whose schema_version is 0, 3 or 99.
 * No poison value contains a newline byte.
 */
export function makePoison(kind: PoisonKind, payload: EventPayload, domain: Domain, random: Random, oversizedBytes: number): PoisonValue {
  const event: Record<string, unknown> = { ...payload };
  let schemaVersion = payload.schema_version;
  switch (kind) {
    case 'malformed-json': {
      const text = JSON.stringify(event);
      return { value: Buffer.from(text.slice(0, random.int(1, text.length - 1)), 'utf8'), schemaVersion };
    }
    case 'wrong-type':
      event[currentFieldName(event, domain.wrongType.field, domain)] = domain.wrongType.make(random);
      break;
    case 'missing-field':
      delete event[currentFieldName(event, random.pick(domain.requiredFields), domain)];
      break;
    case 'oversized': {
      event.padding = '';
      const base = Buffer.byteLength(JSON.stringify(event), 'utf8');
      if (base > oversizedBytes) {
        throw new HarnessError('INTERNAL', `poison: an event of ${base} bytes cannot be padded to ${oversizedBytes} bytes`);
      }
      event.padding = 'x'.repeat(oversizedBytes - base);
      break;
    }
    case 'unknown-schema-version':
      schemaVersion = random.pick(UNKNOWN_SCHEMA_VERSIONS);
      event.schema_version = schemaVersion;
      break;
  }
  return { value: Buffer.from(JSON.stringify(event), 'utf8'), schemaVersion };
}
