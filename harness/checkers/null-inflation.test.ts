import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { defineSut, type FieldMap } from '../sut/sut-config.ts';
import { nullInflationChecker } from './null-inflation.ts';
import { orderEvent, SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();

/** A Kafka Streams-like SUT (not the reference) whose `enriched` output passes events through with a field added. */
const sutWith = (fields?: FieldMap) => defineSut({
  name: 'streams-like',
  command: ['true'],
  topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'enriched', role: 'records', ...(fields ? { fields } : {}) }] },
});

/**
 * Six inputs: three v1 (schema id 1), three v2 (schema id 2) of which two carry coupon_code.
 * `plant` turns each output (the input plus `tier`) into what the SUT wrote.
 */
function history(plant: (out: Record<string, unknown>, version: number) => Record<string, unknown> = (o) => o): SyntheticHistory {
  const h = new SyntheticHistory();
  for (let i = 0; i < 6; i++) {
    const version = i < 3 ? 1 : 2;
    const event = { ...orderEvent({ event_id: `e${i}`, amount: 10 + i }), schema_version: version, ...(version === 2 ? { coupon_code: i === 5 ? null : `C${i}` } : {}) };
    const send = h.send({ eventId: `e${i}`, value: Buffer.from(JSON.stringify(event)) });
    h.input(send, { schemaId: version });
    const out = plant({ ...event, tier: 'gold' }, version);
    h.observe('records', { topic: 'enriched', key: send.key, headers: { 'sp-event-id': send.eventId }, value: Buffer.from(JSON.stringify(out)) });
  }
  return h;
}

const judge = async (h: SyntheticHistory, fields?: FieldMap) =>
  withReader(await h.write(tempDir()), (r) => nullInflationChecker.check(r, { declared: sutWith(fields) }));

describe('null-inflation', () => {
  it('passes outputs that keep every value their inputs had', async () => {
    const result = await judge(history());
    expect(result.valid).toBe(true);
    expect(result.summary).toMatch(/fields judged over 6 output records/);
  });

  it('reports a field nulled for one schema only, with its id and rate', async () => {
    const result = await judge(history((o, v) => (v === 2 ? { ...o, amount: null } : o)));
    expect(result.valid).toBe(false);
    expect(result.summary).toContain('enriched amount: null in 3 of 3 outputs whose input (schema 2) had it (100.0%)');
    expect(result.summary).not.toContain('schema 1');
    expect(result.examples).toContainEqual(expect.objectContaining({ field: 'amount', schema: '2', event_id: 'e3' }));
  });

  it('judges a field the SUT never writes only when its field map declares it carried', async () => {
    const dropCoupon = (o: Record<string, unknown>) => {
      const { coupon_code: _c, ...rest } = o;
      return rest;
    };
    const undeclared = await judge(history(dropCoupon));
    expect(undeclared.valid).toBe(true);
    expect(undeclared.summary).toMatch(/coupon_code in no output record, not judged/);
    const declared = await judge(history(dropCoupon), { '*': 'carried', tier: 'added' });
    expect(declared.valid).toBe(false);
    expect(declared.summary).toContain('enriched coupon_code: null in 2 of 2 outputs whose input (schema 2) had it');
  });

  it('does not count a null the input had', async () => {
    // e5's coupon_code is null in its input: leaving it out of the output is no inflation.
    const result = await judge(history((o) => {
      if (o.coupon_code !== null) return o;
      const { coupon_code: _c, ...rest } = o;
      return rest;
    }), { '*': 'carried', tier: 'added' });
    expect(result.valid).toBe(true);
  });

  it('judges a field of mixed types (a JSON column): a JSON null in the input explains its absence, a value does not', async () => {
    // ref is a number, an object, a string or null by event; the SUT drops it from e1 (had an object) and e2 (had null).
    const refs: unknown[] = [7, { code: 'r1' }, null, 9, 'r4', 11];
    const h = new SyntheticHistory();
    refs.forEach((ref, i) => {
      const event = { ...orderEvent({ event_id: `e${i}` }), ref };
      const send = h.send({ eventId: `e${i}`, value: Buffer.from(JSON.stringify(event)) });
      h.input(send);
      const { ref: _r, ...dropped } = event;
      h.observe('records', { topic: 'enriched', key: send.key, headers: { 'sp-event-id': send.eventId }, value: Buffer.from(JSON.stringify(i === 1 || i === 2 ? dropped : event)) });
    });
    const result = await judge(h);
    expect(result.valid).toBe(false);
    expect(result.summary).toContain('enriched ref: null in 1 of 5 outputs whose input (plain JSON) had it');
    expect(result.examples).toEqual([expect.objectContaining({ field: 'ref', event_id: 'e1' })]);
  });

  it('says unknown without the inputs read back, and skips a SUT without records outputs', async () => {
    const h = new SyntheticHistory();
    const send = h.send({ eventId: 'x' });
    h.observe('records', { topic: 'enriched', key: send.key, headers: { 'sp-event-id': 'x' }, value: send.value });
    expect((await judge(h)).valid).toBe('unknown');
    const noRecords = defineSut({ name: 'agg', command: ['true'], topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'totals', role: 'aggregate', aggregate: { keys: ['k'], values: ['n'], emission: 'final', oracle: 'SELECT 1 AS k, 1 AS n' } }] } });
    const skipped = await withReader(await history().write(tempDir()), (r) => nullInflationChecker.check(r, { declared: noRecords }));
    expect(skipped.skipped).toMatch(/no records output/);
  });
});
