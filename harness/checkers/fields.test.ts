import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { defineSut, type FieldMap } from '../sut/sut-config.ts';
import { fieldsChecker, judgeSource, relationOf } from './fields.ts';
import { createInputsView } from './inputs-view.ts';
import { orderEvent, SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();

/**
 * A Kafka Streams-like SUT (not the reference): its `clean` output keeps every input field,
 * swaps customer.email for a token, drops the card, adds `processed_by` and `amount_cents`.
 */
const FIELDS: FieldMap = {
  '*': 'carried',
  'customer.email': 'dropped',
  'customer.card_last4': 'dropped',
  'customer.email_token': 'added',
  processed_by: 'added',
  amount_cents: { sql: 'round(amount * 100)', tolerance: 0 },
};
const sutWith = (fields: FieldMap) => defineSut({
  name: 'streams-like',
  command: ['true'],
  topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'clean', role: 'records', fields }] },
  checks: { piiFields: ['customer.email'] },
});

type Event = Record<string, unknown> & { customer: Record<string, unknown>; amount: number };

/** What the SUT writes for an input, before a test plants a mistake into it. */
function cleanOf(input: Event): Record<string, unknown> {
  const { email: _email, card_last4: _card, ...customer } = input.customer;
  return { ...input, customer: { ...customer, email_token: 'tok_0123456789abcdef' }, processed_by: 'instance-0', amount_cents: Math.round(input.amount * 100) };
}

/** Three inputs (one schema v2 with coupon_code) and their outputs, each passed through `plant`. */
function history(plant: (out: Record<string, unknown>, i: number) => Record<string, unknown> | string = (o) => o): SyntheticHistory {
  const h = new SyntheticHistory();
  const inputs: Event[] = [
    orderEvent({ event_id: 'a', amount: 10.5 }) as Event,
    orderEvent({ event_id: 'b', amount: 20 }) as Event,
    { ...(orderEvent({ event_id: 'c', amount: 7.25 }) as Event), schema_version: 2, coupon_code: 'SPRING' },
  ];
  inputs.forEach((event, i) => {
    const send = h.send({ eventId: String(event.event_id), value: Buffer.from(JSON.stringify(event)) });
    h.input(send);
    const out = plant(cleanOf(event), i);
    h.observe('records', { topic: 'clean', key: send.key, headers: { 'sp-event-id': send.eventId }, value: Buffer.from(typeof out === 'string' ? out : JSON.stringify(out)) });
  });
  return h;
}

const judge = async (h: SyntheticHistory, fields: FieldMap = FIELDS) =>
  withReader(await h.write(tempDir()), (r) => fieldsChecker.check(r, { declared: sutWith(fields) }));

describe('fields', () => {
  it('resolves a path by its longest declared prefix, else *', () => {
    expect(relationOf({ '*': 'carried', customer: 'dropped', 'customer.id': 'carried' }, 'customer.id')).toBe('carried');
    expect(relationOf({ '*': 'carried', customer: 'dropped' }, 'customer.email')).toBe('dropped');
    expect(relationOf({ customer: 'dropped' }, 'customer_id')).toBe('ignored');
  });

  it('passes outputs that are as declared, a v2 field carried for the v2 input, numbers compared as numbers', async () => {
    // 20 is written 20.0 by a JVM serializer: the same number.
    const r = await judge(history((o, i) => (i === 1 ? JSON.stringify(o).replace('"amount":20', '"amount":20.0') : o)));
    expect(r.valid, r.summary).toBe(true);
    expect(r.counts).toMatchObject({ records: 3, compared: 3 });
  });

  it('fails a field lost for v2 inputs only (a dropped coupon_code), with its rate', async () => {
    const r = await judge(history(({ coupon_code: _c, ...o }) => o));
    expect(r.valid).toBe(false);
    expect(r.summary).toContain('clean coupon_code missing (null inflation) in 1 of 1 records (100.0%)');
    expect(r.examples[0]).toMatchObject({ field: 'coupon_code', problem: 'missing', event_id: 'c', input: 'SPRING', output: null });
  });

  it('fails a field nulled in some outputs (null inflation) and a changed value', async () => {
    const r = await judge(history((o, i) => (i === 0 ? { ...o, region: null } : i === 1 ? { ...o, amount: 2 } : o)));
    expect(r.valid).toBe(false);
    expect(r.counts).toMatchObject({ 'clean region: missing': 1, 'clean amount: changed': 1 });
    expect(r.summary).toContain('clean region missing (null inflation) in 1 of 3 records (33.3%)');
  });

  it('fails an unexpected field, a dropped field kept and a derived value off by one', async () => {
    const r = await judge(history((o, i) => (i === 0 ? { ...o, debug: 'x' } : i === 1 ? { ...o, customer: { ...(o.customer as object), card_last4: '4821' } } : { ...o, amount_cents: 726 })));
    expect(r.valid).toBe(false);
    expect(r.counts).toMatchObject({ unexpected: 1, kept: 1, changed: 1, 'clean amount_cents: changed': 1 });
  });

  it('judges an output the final scan read twice (one position) once', async () => {
    const h = history((o, i) => (i === 1 ? { ...o, amount: 2 } : o));
    const [, second] = h.observed.filter((r) => r.topic === 'clean');
    h.observe('records', { ...second!, observedUs: undefined });
    const r = await judge(h);
    expect(r.counts).toMatchObject({ records: 3, compared: 3, 'clean amount: changed': 1 });
  });

  it('fails a masked field that still carries the raw value, and masks it in the evidence', async () => {
    const fields: FieldMap = { ...FIELDS, 'customer.email': 'masked' };
    const masked = await judge(history((o) => ({ ...o, customer: { ...(o.customer as object), email: 'e3b0c442' } })), fields);
    expect(masked.valid, masked.summary).toBe(true);
    const raw = await judge(history((o, i) => ({ ...o, customer: { ...(o.customer as object), email: i === 0 ? 'jane.doe7@example.com' : 'e3b0c442' } })), fields);
    expect(raw).toMatchObject({ valid: false, counts: { unmasked: 1 } });
    expect(raw.examples[0]).toMatchObject({ field: 'customer.email', input: 'j***@example.com', output: 'j***@example.com' });
    expect(JSON.stringify(raw)).not.toContain('jane.doe7');
  });

  it('is skipped without a field map, and unknown when no output pairs with an input', async () => {
    const none = defineSut({ name: 's', command: ['true'], topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'clean', role: 'records' }] } });
    const h = history();
    const skipped = await withReader(await h.write(tempDir()), (r) => fieldsChecker.check(r, { declared: none }));
    expect(skipped.skipped).toBeDefined();
    const unknown = await judge(history(() => 'not json'));
    expect(unknown.valid).toBe('unknown');
  });

  it('judges in one pass exactly as a json_tree walk of every leaf would, and walks where the structures cannot stand for it', async () => {
    // every kind of leaf: nested objects, arrays, nulls, {}, numbers written two ways, a field only one side has, a derived field
    const PAIRS: [string, string][] = [
      ['{"a":1,"b":{"c":"x","d":[1,{"e":2}]},"f":null,"q":5}', '{"a":1.0,"b":{"c":"x","d":[1,{"e":2}]},"g":true,"q2":10}'],
      ['{"a":2,"b":{"c":null},"h":"é","q":1}', '{"a":"2","b":null,"h":"\\u00e9","q2":3}'],
      ['{"a":3,"b":{},"i":[],"q":2}', '{"a":3,"b":{"c":"y"},"i":[null],"j":{"k":{"l":-1}},"q2":4}'],
      ['{"a":4,"n":1e2,"h":"secret"}', '{"m":"not in the input","n":100,"h":"secret"}'],
    ];
    const fields: FieldMap = { '*': 'carried', h: 'masked', i: 'dropped', 'j.k': 'added', q2: { sql: 'q * 2', tolerance: 0 } };
    const both = async (pairs: [string, string][]) => {
      const h = new SyntheticHistory();
      pairs.forEach(([input, output], i) => {
        const send = h.send({ eventId: `e${i}`, value: Buffer.from(input) });
        h.input(send);
        h.observe('records', { topic: 'clean', headers: { 'sp-event-id': send.eventId }, value: Buffer.from(output) });
      });
      return withReader(await h.write(tempDir()), async (r) => {
        await createInputsView(r);
        const params = { declared: sutWith(fields) };
        return { onePass: (await judgeSource(r, params, 'clean', 'records', fields)).rows, walked: (await judgeSource(r, params, 'clean', 'records', fields, true)).rows };
      });
    };
    const plain = await both(PAIRS);
    expect(plain.onePass).toEqual(plain.walked);
    const problems = Object.fromEntries(plain.walked.map((r) => [r.path, Object.entries(r.problems).filter(([, n]) => n > 0)]));
    expect(problems).toEqual({ a: [['missing', 1], ['changed', 1]], 'b.c': [['unexpected', 1]], 'b.d': [], g: [['unexpected', 1]], h: [['unmasked', 2]], i: [['kept', 1]], m: [['unexpected', 1]], n: [], q: [['missing', 3]], q2: [['changed', 1]] });
    // an object where another input has a string (the structure says "JSON"), and a key with a dot: walked, same rows
    for (const odd of [['{"a":5,"b":"flat","q":1}', '{"a":5,"q2":2}'], ['{"a":6,"q":1}', '{"a":6,"x.y":1,"q2":2}']] as [string, string][]) {
      const r = await both([...PAIRS, odd]);
      expect(r.onePass).toEqual(r.walked);
    }
  });
});
