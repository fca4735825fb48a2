/**
 * Turns generated JSON events into what a registry-aware producer sends: the wire format
 * (magic byte, schema id, Avro binary or JSON text) under the id registered for the event's
 * schema_version. Deterministic: the same records, schemas, ids and seed give the same bytes.
 *
 * The record's `value` stays the event as JSON (what checkers read; for Avro, the fields the
 * schema carries in its order), `wire` is the bytes sent and `schemaId` the id in them.
 * Poison: the registry's failure modes are made here (an unknown id, a body cut short, the
 * header missing); a JSON poison the schema cannot carry (malformed, wrong type, a required
 * field missing, oversized) is sent as its raw JSON bytes, as a schemaless producer would.
 */
import avro from 'avsc';
import { HarnessError } from '../../harness/errors.ts';
import { Random } from '../../harness/random.ts';
import type { GeneratedRecord } from '../record.ts';
import { frameWire } from './wire-format.ts';

export type RegistryFormat = 'avro' | 'json-schema';
export type EncodingFormat = 'json' | RegistryFormat;
export const ENCODING_FORMATS: readonly EncodingFormat[] = ['json', 'avro', 'json-schema'];

/** A schema as registered: the schema_version it carries, its registry id and text. */
export interface RegisteredSchema {
  version: number;
  id: number;
  schema: string;
}

/** An id no registry of a run hands out (ids count up from 1). */
export const UNKNOWN_SCHEMA_ID = 1_999_999_999;

interface Writer {
  id: number;
  type?: avro.Type;
  /** Top-level fields of the Avro record: filled when the event lacks them. */
  fields?: { name: string; type: avro.Type; default: unknown }[];
}

export class EventEncoder {
  private readonly writers = new Map<number, Writer>();
  private readonly random: Random;
  private readonly fill: Random;

  constructor(readonly format: RegistryFormat, schemas: readonly RegisteredSchema[], seed: number) {
    if (schemas.length === 0) throw new HarnessError('CONFIG_INVALID', 'an encoder needs at least one registered schema');
    for (const s of schemas) {
      if (format === 'json-schema') {
        this.writers.set(s.version, { id: s.id });
        continue;
      }
      const type = avro.Type.forSchema(JSON.parse(s.schema) as avro.Schema);
      if (!(type instanceof avro.types.RecordType)) throw new HarnessError('CONFIG_INVALID', `schema ${s.id} is not an Avro record`);
      const fields = type.fields.map((f) => ({ name: f.name, type: f.type, default: f.defaultValue() }));
      this.writers.set(s.version, { id: s.id, type, fields });
    }
    const root = new Random(seed);
    this.random = root.fork('poison');
    this.fill = root.fork('fill');
  }

  encode(record: GeneratedRecord): GeneratedRecord {
    const writer = this.writers.get(record.truth.schemaVersion) ?? this.writers.get(Math.min(...this.writers.keys()))!;
    const poison = record.truth.kind === 'poison' ? record.truth.poisonKind : undefined;
    // A JSON poison the schema cannot carry goes out as its JSON bytes (a schemaless producer's mistake).
    if (poison && poison !== 'unknown-schema-version' && !isRegistryPoison(poison)) return { ...record, wire: record.value };
    const payload = JSON.parse(record.value.toString('utf8')) as Record<string, unknown>;
    const shaped = this.shape(writer, payload, record.eventId);
    if (shaped === undefined) {
      throw new HarnessError('CONFIG_INVALID', `event ${record.eventId}: ${this.misfit(writer, payload)} does not fit schema ${writer.id}; give the workload its schema (workload.encoding.schemas)`);
    }
    const value = Buffer.from(JSON.stringify(shaped), 'utf8');
    const body = writer.type ? writer.type.toBuffer(shaped) : value;
    switch (poison) {
      case 'unknown-schema-id':
        return { ...record, value, wire: frameWire(UNKNOWN_SCHEMA_ID, body), schemaId: UNKNOWN_SCHEMA_ID };
      case 'undecodable-bytes':
        return { ...record, value, wire: frameWire(writer.id, body.subarray(0, this.random.int(0, body.length - 1))), schemaId: writer.id };
      case 'no-magic-byte':
        // Avro: the bare body (a producer without the registry's serializer). JSON Schema's bare
        // body is plain JSON, which a lenient reader rightly accepts: drop the magic byte alone.
        return { ...record, value, wire: writer.type ? Buffer.from(body) : frameWire(writer.id, body).subarray(1) };
      default:
        return { ...record, value, wire: frameWire(writer.id, body), schemaId: writer.id };
    }
  }

  /** The event with the schema's fields in its order (missing ones filled), or undefined when it does not fit. */
  private shape(writer: Writer, payload: Record<string, unknown>, eventId: string): Record<string, unknown> | undefined {
    if (!writer.type) return payload;
    const shaped: Record<string, unknown> = {};
    // Drawn per event and field, so a duplicate re-send gets the same bytes.
    for (const f of writer.fields!) shaped[f.name] = f.name in payload ? payload[f.name] : fillValue(f.type, f.default, this.fill.fork(`${eventId}/${f.name}`));
    return writer.type.isValid(shaped) ? shaped : undefined;
  }

  private misfit(writer: Writer, payload: Record<string, unknown>): string {
    let found = 'a value';
    writer.type!.isValid(payload, { errorHook: (path, value) => (found = `field ${path.join('.') || '(event)'} = ${JSON.stringify(value)}`) });
    return found;
  }
}

/** A field the domain does not make (a proposed schema's new field): its default, else null half the time, else drawn by type. */
function fillValue(type: avro.Type, fallback: unknown, random: Random): unknown {
  if (fallback !== undefined && fallback !== null) return fallback;
  const branches = type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType ? type.types : [type];
  const concrete = branches.filter((t) => t.typeName !== 'null');
  if (concrete.length < branches.length && (concrete.length === 0 || random.int(0, 1) === 0)) return null;
  const t = concrete[0]!;
  switch (t.typeName) {
    case 'string': return `x-${random.int(0, 999_999).toString(36)}`;
    case 'int': case 'long': return random.int(0, 1000);
    case 'float': case 'double': return random.int(0, 100_000) / 100;
    case 'boolean': return random.int(0, 1) === 1;
    case 'enum': return random.pick((t as avro.types.EnumType).symbols);
    default: return t.random();
  }
}

function isRegistryPoison(kind: string): boolean {
  return kind === 'unknown-schema-id' || kind === 'undecodable-bytes' || kind === 'no-magic-byte';
}

/** Encodes records lazily. */
export function* encodeRecords(records: Iterable<GeneratedRecord>, encoder: EventEncoder): Generator<GeneratedRecord, void, undefined> {
  for (const record of records) yield encoder.encode(record);
}
