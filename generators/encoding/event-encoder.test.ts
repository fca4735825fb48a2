import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { collectEvents } from '../generate-events.ts';
import type { GeneratedRecord } from '../record.ts';
import { EventEncoder, UNKNOWN_SCHEMA_ID, type RegisteredSchema } from './event-encoder.ts';
import { inferAvroSchema, inferJsonSchema } from './infer-schema.ts';
import { readWire } from './wire-format.ts';

const payload = (r: GeneratedRecord) => JSON.parse(r.value.toString('utf8')) as Record<string, unknown>;

function ordersSchemas(): RegisteredSchema[] {
  const sample = collectEvents({ domain: 'orders', seed: 1, count: 2000, drift: 'add-optional', driftAtIndex: 1000 });
  const of = (v: number) => sample.filter((r) => r.truth.schemaVersion === v).map(payload);
  return [
    { version: 1, id: 7, schema: JSON.stringify(inferAvroSchema(of(1), 'orders')) },
    { version: 2, id: 9, schema: JSON.stringify(inferAvroSchema(of(2), 'orders')) },
  ];
}

const run = (seed: number) =>
  collectEvents({ domain: 'orders', seed, count: 400, drift: 'add-optional', driftAtIndex: 200, driftLagFraction: 0.2, poisonFraction: 0.05, duplicateFraction: 0.05, poisonKinds: ['unknown-schema-id', 'undecodable-bytes', 'no-magic-byte', 'malformed-json'] });

describe('EventEncoder (Avro)', () => {
  const schemas = ordersSchemas();

  it('infers v2 as v1 plus a nullable field with a null default', () => {
    const [v1, v2] = schemas.map((s) => JSON.parse(s.schema) as { fields: { name: string; type: unknown; default?: unknown }[] });
    expect(v2!.fields.slice(0, -1)).toEqual(v1!.fields);
    expect(v2!.fields.at(-1)).toEqual({ name: 'coupon_code', type: ['null', 'string'], default: null });
  });

  it('frames valid events under the id of their schema_version, decodable back to the JSON recorded', () => {
    const encoder = new EventEncoder('avro', schemas, 3);
    const types = new Map(schemas.map((s) => [s.id, avro.Type.forSchema(JSON.parse(s.schema) as avro.Schema)]));
    for (const record of run(5).filter((r) => r.truth.kind !== 'poison').map((r) => encoder.encode(r))) {
      const wire = readWire(record.wire!)!;
      expect(wire.schemaId).toBe(record.truth.schemaVersion === 2 ? 9 : 7);
      expect(record.schemaId).toBe(wire.schemaId);
      expect(JSON.stringify(types.get(wire.schemaId)!.fromBuffer(wire.body))).toBe(record.value.toString('utf8'));
    }
  });

  it('keeps a fifth of the producers on v1 after the switch', () => {
    const after = run(5).filter((r) => r.index >= 200 && r.truth.kind !== 'poison');
    const v1 = after.filter((r) => r.truth.schemaVersion === 1).length / after.length;
    expect(v1).toBeGreaterThan(0.15);
    expect(v1).toBeLessThan(0.25);
  });

  it("makes the registry's failure modes, and sends a JSON poison as its raw bytes", () => {
    const encoder = new EventEncoder('avro', schemas, 3);
    const type = avro.Type.forSchema(JSON.parse(schemas[0]!.schema) as avro.Schema);
    const poison = run(5).filter((r) => r.truth.kind === 'poison').map((r) => encoder.encode(r));
    const byKind = (k: string) => poison.filter((r) => r.truth.poisonKind === k);
    for (const r of byKind('unknown-schema-id')) expect(readWire(r.wire!)!.schemaId).toBe(UNKNOWN_SCHEMA_ID);
    for (const r of byKind('undecodable-bytes')) {
      const wire = readWire(r.wire!)!;
      expect([7, 9]).toContain(wire.schemaId);
      expect(() => type.fromBuffer(wire.body)).toThrow();
    }
    for (const r of byKind('no-magic-byte')) expect(r.wire![0]).not.toBe(0);
    for (const r of byKind('malformed-json')) expect(r.wire).toBe(r.value);
    expect(byKind('undecodable-bytes').length).toBeGreaterThan(0);
  });

  it('gives byte-identical wire values for the same seed, and a duplicate the bytes of its original', () => {
    const encode = (seed: number) => {
      const encoder = new EventEncoder('avro', schemas, seed);
      return run(11).map((r) => encoder.encode(r));
    };
    const once = encode(4).map((r) => r.wire!.toString('hex'));
    expect(encode(4).map((r) => r.wire!.toString('hex'))).toEqual(once);
    const b = encode(4);
    for (const dup of b.filter((r) => r.truth.kind === 'duplicate')) expect(dup.wire).toEqual(b[dup.truth.duplicateOf!]!.wire);
    expect(b.filter((r) => r.truth.kind === 'duplicate').length).toBeGreaterThan(0);
  });

  it('fills a field the domain does not make from its type, the same for every copy of an event', () => {
    const v2 = JSON.parse(schemas[1]!.schema) as { fields: unknown[] };
    v2.fields.push({ name: 'loyalty_tier', type: ['null', 'string'], default: null });
    const encoder = new EventEncoder('avro', [{ version: 1, id: 1, schema: JSON.stringify(v2) }], 1);
    const out = collectEvents({ domain: 'orders', seed: 2, count: 200, duplicateFraction: 0.1 }).map((r) => encoder.encode(r));
    const tiers = out.map((r) => payload(r).loyalty_tier);
    expect(tiers.some((t) => t === null)).toBe(true);
    expect(tiers.some((t) => typeof t === 'string')).toBe(true);
    for (const dup of out.filter((r) => r.truth.kind === 'duplicate')) expect(dup.wire).toEqual(out[dup.truth.duplicateOf!]!.wire);
  });

  it('refuses an event that does not fit, naming the field', () => {
    const narrow = { type: 'record', name: 'x', fields: [{ name: 'amount', type: 'long' }] };
    const encoder = new EventEncoder('avro', [{ version: 1, id: 1, schema: JSON.stringify(narrow) }], 1);
    const [first] = collectEvents({ domain: 'orders', seed: 2, count: 1 });
    expect(() => encoder.encode(first!)).toThrow(/field amount = [0-9.]+ does not fit schema 1/);
  });
});

describe('JSON Schema encoding', () => {
  it('makes no-magic-byte poison no JSON reader accepts', () => {
    const events = collectEvents({ domain: 'iot', seed: 1, count: 200, poisonFraction: 0.1, poisonKinds: ['no-magic-byte'] });
    const schema = inferJsonSchema(events.filter((r) => r.truth.kind !== 'poison').map(payload), 'iot');
    const encoder = new EventEncoder('json-schema', [{ version: 1, id: 4, schema: JSON.stringify(schema) }], 1);
    const poison = events.filter((r) => r.truth.kind === 'poison').map((r) => encoder.encode(r));
    expect(poison.length).toBeGreaterThan(0);
    for (const r of poison) {
      expect(() => JSON.parse(r.wire!.toString('utf8'))).toThrow();
      expect(r.wire!.subarray(4)).toEqual(r.value);
    }
  });

  it('frames the JSON text under the schema id', () => {
    const events = collectEvents({ domain: 'iot', seed: 1, count: 50 });
    const schema = inferJsonSchema(events.map(payload), 'iot');
    expect(schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['event_id', 'device_id']) });
    const encoder = new EventEncoder('json-schema', [{ version: 1, id: 4, schema: JSON.stringify(schema) }], 1);
    const r = encoder.encode(events[0]!);
    expect(readWire(r.wire!)).toEqual({ schemaId: 4, body: r.value });
  });
});
