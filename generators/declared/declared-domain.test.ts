import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEvents } from '../generate-events.ts';
import { zipfTopShare } from '../key-picker.ts';
import { defineDomain } from './domain-file.ts';
import type { DomainSpec } from './domain-spec.ts';

const root = join(import.meta.dirname, '..', '..');
const payments = JSON.parse(readFileSync(join(root, 'examples', 'payments', 'payments.domain.json'), 'utf8')) as DomainSpec;
const events = (spec: DomainSpec, count: number, extra: object = {}) =>
  collectEvents({ domain: spec, seed: 21, count, ...extra }).map((r) => ({ r, e: JSON.parse(r.value.toString('utf8')) as Record<string, any> }));

const minimal = (fields: DomainSpec['fields'], extra: Partial<DomainSpec> = {}): DomainSpec => ({
  name: 'thing', keyPrefix: 'k', ...extra, fields: { id: '$eventId', at: '$eventTime', key: '$key', ...fields },
});

describe('a declared domain (payments, written only as a file)', () => {
  it('makes events with its roles, a nested object, its PII fields, uuid ids and ISO times', () => {
    for (const { r, e } of events(payments, 500)) {
      expect(e.payment_id).toBe(r.eventId);
      expect(e.payment_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Date.parse(e.occurred_at)).toBe(r.eventTimeMs);
      expect(e.account_id).toBe(r.key);
      expect(e.merchant.id).toMatch(/^merch-\d{6}$/);
      expect(e.card.pan).toMatch(/^4\d{15}$/);
      expect(['EUR', 'GBP']).toContain(e.currency);
    }
    expect(defineDomain(payments).piiFields).toEqual(['card.holder', 'card.pan']);
  });

  it('keeps per-key values per key and draws the merchant by its Zipf skew', () => {
    const all = events(payments, 20_000);
    const byKey = new Map<string, string>();
    for (const { e } of all) {
      const pii = `${e.card.holder}/${e.card.pan}/${e.currency}`;
      expect(byKey.get(e.account_id) ?? pii).toBe(pii);
      byKey.set(e.account_id, pii);
    }
    const top = all.filter(({ e }) => e.merchant.id === 'merch-000000').length / all.length;
    expect(top).toBeGreaterThan(zipfTopShare(200, 1.1) * 0.9);
    expect(top).toBeLessThan(zipfTopShare(200, 1.1) * 1.1);
  });

  it('drifts from v1 to v2: add-optional adds risk_score, type-change turns installments into a string, rename renames amount', () => {
    const added = events(payments, 200, { drift: 'add-optional', driftAtIndex: 100 });
    expect(added.every(({ r, e }) => ('risk_score' in e) === r.index >= 100 && e.version === (r.index >= 100 ? 2 : 1))).toBe(true);
    expect(events(payments, 200, { drift: 'type-change', driftAtIndex: 0 }).every(({ e }) => typeof e.installments === 'string')).toBe(true);
    expect(events(payments, 50, { drift: 'breaking-rename', driftAtIndex: 0 }).every(({ e }) => 'amount_value' in e && !('amount' in e))).toBe(true);
  });

  it('makes poison from its declarations, and refuses a mode or kind it does not declare', () => {
    const poison = events(payments, 2000, { poisonFraction: 0.1, poisonKinds: ['wrong-type', 'unknown-schema-version'] }).filter(({ r }) => r.truth.kind === 'poison');
    expect(poison.some(({ e }) => typeof e.amount === 'string' && e.amount.endsWith(' EUR'))).toBe(true);
    expect(poison.some(({ e }) => [0, 3, 99].includes(e.version))).toBe(true);
    const bare = minimal({ n: { int: { min: 1, max: 3 } } });
    expect(() => collectEvents({ domain: bare, seed: 1, count: 1, drift: 'add-optional' })).toThrow("'drift' needs drift.addOptional in domain 'thing'");
    expect(() => collectEvents({ domain: bare, seed: 1, count: 1, poisonFraction: 0.1, poisonKinds: ['wrong-type'] })).toThrow("needs poison.wrongType in domain 'thing'");
  });

  it('gives byte-identical events for one seed and file, other events for another seed', () => {
    const bytes = (seed: number) => Buffer.concat(collectEvents({ domain: payments, seed, count: 300, poisonFraction: 0.05, duplicateFraction: 0.05, oversizedBytes: 4096 }).map((r) => r.value));
    expect(bytes(4).equals(bytes(4))).toBe(true);
    expect(bytes(4).equals(bytes(5))).toBe(false);
  });
});

describe('value kinds', () => {
  const values = (spec: DomainSpec['fields'][string], count = 20_000, extra: Partial<DomainSpec> = {}) =>
    events(minimal({ v: spec }, extra), count).map(({ e }) => e.v);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('draws numbers by their distribution', () => {
    const normal = values({ normal: { mean: 50, sd: 5 } }) as number[];
    expect(mean(normal)).toBeCloseTo(50, 0);
    expect(Math.sqrt(mean(normal.map((x) => (x - 50) ** 2)))).toBeCloseTo(5, 0);
    const logn = values({ lognormal: { mu: 1, sigma: 0.5 } }) as number[];
    expect(mean(logn)).toBeGreaterThan(Math.exp(1.125) * 0.95);
    expect(mean(logn)).toBeLessThan(Math.exp(1.125) * 1.05);
    const zipf = values({ zipf: { n: 10, s: 1 } }) as number[];
    expect(zipf.filter((x) => x === 1).length / zipf.length).toBeCloseTo(zipfTopShare(10, 1), 1);
    const uniform = values({ uniform: { min: 10, max: 20 }, decimals: 1 }) as number[];
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(20);
    expect(uniform.every((x) => Math.round(x * 10) === x * 10)).toBe(true);
  });

  it('weights enums, leaves values null by presentChance, sizes arrays and pads numbers', () => {
    const weighted = values({ enum: ['a', 'b'], weights: [9, 1] });
    expect(weighted.filter((x) => x === 'a').length / weighted.length).toBeCloseTo(0.9, 1);
    const present = values({ const: 'x', presentChance: 0.25 });
    expect(present.filter((x) => x === 'x').length / present.length).toBeCloseTo(0.25, 1);
    const arrays = values({ array: { const: 1 }, min: 1, max: 3 }, 500) as number[][];
    expect(new Set(arrays.map((a) => a.length))).toEqual(new Set([1, 2, 3]));
    expect(values({ int: { min: 7, max: 7 }, pad: 3 }, 5)).toEqual(['007', '007', '007', '007', '007']);
  });

  it('runs a counter per key, looks values up, picks by event type and offsets the event time', () => {
    const spec = minimal(
      {
        type: '$eventType',
        n: { counter: { start: { const: 10 }, step: -1, min: 8 } },
        tier: { lookup: 'perKey.t', map: { x: 'gold' } },
        note: { byEventType: { ping: { const: 'p' }, '*': { const: 'other' } } },
        later: { eventTimePlus: { const: 1000 } },
      },
      { perKey: { label: 'k', fields: { t: { const: 'x' } } }, eventType: { enum: ['ping', 'pong'] }, eventTimeFormat: 'epoch-s' },
    );
    const made = collectEvents({ domain: spec, seed: 3, count: 200, keyCount: 1 }).map((r) => JSON.parse(r.value.toString()));
    expect(made.slice(0, 4).map((e) => e.n)).toEqual([9, 8, 8, 8]);
    expect(made.every((e) => e.tier === 'gold' && e.later === e.at + 1 && e.note === (e.type === 'ping' ? 'p' : 'other'))).toBe(true);
    expect(new Set(made.map((e) => e.type))).toEqual(new Set(['ping', 'pong']));
  });
});

describe('a malformed domain file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domain-file-'));
  const file = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return path;
  };
  const check = (path: string) => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'domain', 'check', path], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, lines: r.stderr.split('\n').filter((l) => l.trim() !== '') };
  };
  it.each([
    ['an unknown generator', minimal({ amount: { gaussian: { mean: 1 } } as never }), ".fields.amount: unknown key 'gaussian' (expected one of const, enum"],
    ['a wrong type', minimal({ amount: { int: { min: 1, max: 'ten' } } as never }), '.fields.amount.int.max: must be number'],
    ['a missing id field', { name: 'thing', keyPrefix: 'k', fields: { at: '$eventTime', v: { const: 1 } } }, ".fields: no field is the event id: give one field the value '$eventId'"],
    ['an unknown faker method', minimal({ v: { pool: 'names' } }, { pools: { names: { faker: 'person.nickname' } } }), ".pools.names.faker: 'person.nickname' is not a faker method"],
    ['a reference to a later field', minimal({ a: { ref: 'b' }, b: { const: 1 } }), ".fields.a.ref: ref 'b' names no value made before it"],
    ['a drift value that refers to a per-key value', minimal({ a: { const: 1 } }, { perKey: { label: 'k', fields: { p: { const: 2 } } }, drift: { addOptional: { field: 'b', value: { ref: 'perKey.p' } } } }), ".drift.addOptional.value.ref: ref 'perKey.p' names no value made before it (key or a field of the event)"],
    ['not JSON', '{"name": ', ': not JSON'],
  ])('%s: one line naming the path, exit 64', (_what, body, message) => {
    const path = file(`${_what.replaceAll(' ', '-')}.json`, body);
    const { status, lines } = check(path);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`streamproof: CONFIG_INVALID: ${path}${message}`);
    expect(status).toBe(64);
  });
});
