import { describe, expect, it } from 'vitest';
import { Random } from '../harness/random.ts';
import type { MadeEvent } from './domain.ts';
import { DOMAINS } from './domains/index.ts';
import { collectEvents } from './generate-events.ts';
import { makePoison, UNKNOWN_SCHEMA_VERSIONS, type PoisonValue } from './poison.ts';
import type { PoisonKind } from './options.ts';

const orders = DOMAINS.orders;
const source = orders.createSource({ seed: 1, startTimeMs: 0, builtinPools: () => { throw new Error('no pools needed'); }, random: new Random(0) });
const payload: Record<string, unknown> = {
  event_id: 'orders-1-0', event_type: 'order_placed', schema_version: 1, event_time_ms: 1, key: 'cust-000001',
  order_id: 'ORD-X', amount: 12.5, currency: 'EUR', region: 'eu-west', customer: { id: 'cust-000001', email: 'a@b.c', card_last4: '0001' },
};

const parse = (value: Buffer) => JSON.parse(value.toString('utf8'));
const poison = (kind: PoisonKind, fields: Record<string, unknown>, random: Random, bytes: number): PoisonValue => {
  const made: MadeEvent = { payload: fields, key: 'cust-000001', eventId: 'orders-1-0' };
  return makePoison(kind, made, Number(fields.schema_version), orders, source, random, bytes);
};

describe('makePoison', () => {
  it('makes malformed-json that never parses, and never contains a newline', () => {
    const random = new Random(1);
    for (let i = 0; i < 200; i++) {
      const { value } = poison('malformed-json', payload, random, 4096);
      expect(() => parse(value)).toThrow(SyntaxError);
      expect(value.includes(0x0a)).toBe(false);
    }
  });

  it('gives a required field the wrong JSON type (also after a breaking rename)', () => {
    expect(typeof parse(poison('wrong-type', payload, new Random(1), 4096).value).amount).toBe('string');
    const renamed = { ...payload, schema_version: 2, total_amount: 3 } as Record<string, unknown>;
    delete renamed.amount;
    expect(typeof parse(poison('wrong-type', renamed, new Random(1), 4096).value).total_amount).toBe('string');
  });

  it('drops exactly one required field', () => {
    const random = new Random(2);
    for (let i = 0; i < 50; i++) {
      const event = parse(poison('missing-field', payload, random, 4096).value);
      expect(orders.requiredFields.filter((f) => !(f in event))).toHaveLength(1);
      expect(Object.keys(event)).toHaveLength(Object.keys(payload).length - 1);
    }
  });

  it('pads oversized values to exactly oversizedBytes, still valid JSON', () => {
    const { value } = poison('oversized', payload, new Random(3), 10_000);
    expect(value.length).toBe(10_000);
    expect(parse(value).order_id).toBe('ORD-X');
  });

  it('claims a schema version nobody knows', () => {
    const { value, schemaVersion } = poison('unknown-schema-version', payload, new Random(4), 4096);
    expect(UNKNOWN_SCHEMA_VERSIONS).toContain(schemaVersion);
    expect(parse(value).schema_version).toBe(schemaVersion);
  });

  it('does not modify the event it was given', () => {
    const copy = structuredClone(payload);
    for (const kind of ['wrong-type', 'missing-field', 'oversized', 'unknown-schema-version'] as const) poison(kind, payload, new Random(5), 4096);
    expect(payload).toEqual(copy);
  });

  it('round-robins kinds so every kind appears once there are as many poison records as kinds', () => {
    const records = collectEvents({ domain: 'orders', seed: 6, count: 400, poisonFraction: 0.1, oversizedBytes: 4096 });
    const poison = records.filter((r) => r.truth.kind === 'poison').slice(0, 5);
    expect(poison.map((r) => r.truth.poisonKind)).toEqual(['malformed-json', 'wrong-type', 'missing-field', 'oversized', 'unknown-schema-version']);
    expect(poison[3]!.value.length).toBe(4096);
    const restricted = collectEvents({ domain: 'orders', seed: 6, count: 400, poisonFraction: 0.1, poisonKinds: ['missing-field'] });
    expect(new Set(restricted.filter((r) => r.truth.kind === 'poison').map((r) => r.truth.poisonKind))).toEqual(new Set(['missing-field']));
  });
});
