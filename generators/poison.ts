import { HarnessError } from '../harness/errors.ts';
import type { Random } from '../harness/random.ts';
import type { Domain, DomainSource, MadeEvent } from './domain.ts';
import type { PoisonKind } from './options.ts';
import { currentFieldName } from './schema-drift.ts';

export interface PoisonValue {
  /** The kind made: the one asked for, or malformed-json for a replayed event that lacks the field the kind breaks. */
  kind: PoisonKind;
  value: Buffer;
  /** The schema_version the value claims (for unknown-schema-version, the unknown one). */
  schemaVersion: number;
}

/** schema_version values no reader knows. */
export const UNKNOWN_SCHEMA_VERSIONS = [0, 3, 99] as const;

/** The declaration a poison kind needs from a domain, or undefined when the domain has it. */
export function missingPoisonDeclaration(kind: PoisonKind, domain: Domain): string | undefined {
  if (kind === 'wrong-type' && domain.wrongTypeField === undefined) return 'poison.wrongType';
  if (kind === 'unknown-schema-version' && domain.roles.schemaVersion === undefined) return "a field '$schemaVersion'";
  return undefined;
}

/**
 * Corrupts a well-formed event into a poison value of the given kind:
 * - malformed-json: a proper prefix of the JSON text (never parses: the top-level object never closes);
 * - wrong-type: one required field gets a value of the wrong JSON type (e.g. amount as a string);
 * - missing-field: one required field (of those the event has) is dropped;
 * - oversized: valid JSON padded with a `padding` string to exactly `oversizedBytes` bytes;
 * - unknown-schema-version: valid JSON whose schema_version is 0, 3 or 99;
 * - unknown-schema-id, undecodable-bytes, no-magic-byte: the intact event, corrupted by the encoder.
 * No poison value contains a newline byte.
 */
export function makePoison(
  kind: PoisonKind, made: MadeEvent, schemaVersion: number, domain: Domain, source: DomainSource, random: Random, oversizedBytes: number,
): PoisonValue {
  const event: Record<string, unknown> = { ...made.payload };
  const malformed = (): PoisonValue => {
    const text = JSON.stringify(event);
    return { kind: 'malformed-json', value: Buffer.from(text.slice(0, random.int(1, text.length - 1)), 'utf8'), schemaVersion };
  };
  switch (kind) {
    case 'malformed-json':
      return malformed();
    case 'wrong-type': {
      // A replayed event may lack the field: adding it would not break the event, so it is made malformed instead.
      const field = currentFieldName(event, domain.wrongTypeField!, domain);
      if (!(field in event)) return malformed();
      event[field] = source.wrongTypeValue(random, { key: made.key, fields: made.payload });
      break;
    }
    case 'missing-field': {
      const present = domain.requiredFields.map((f) => currentFieldName(event, f, domain)).filter((f) => f in event);
      if (present.length === 0) return malformed();
      delete event[random.pick(present)];
      break;
    }
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
      event[domain.roles.schemaVersion!] = schemaVersion;
      break;
    // The registry's failure modes are made from the intact event by the encoder (generators/encoding/).
    case 'unknown-schema-id':
    case 'undecodable-bytes':
    case 'no-magic-byte':
      break;
  }
  return { kind, value: Buffer.from(JSON.stringify(event), 'utf8'), schemaVersion };
}
