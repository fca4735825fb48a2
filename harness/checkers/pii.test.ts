import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { defineSut } from '../sut/sut-config.ts';
import type { CheckerParams } from './checker-params.ts';
import { maskPii, piiChecker } from './pii.ts';
import { SyntheticHistory, T0_MS, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const PARAMS: CheckerParams = { piiFields: ['customer.email', 'customer.card_last4'] };
const run = async (h: SyntheticHistory, params: CheckerParams = PARAMS) =>
  withReader(await h.write(tempDir()), (r) => piiChecker.check(r, params));

function history(): SyntheticHistory {
  const h = new SyntheticHistory();
  h.output(h.send({ eventId: 'a', order: { email: 'jane.doe7@example.com', card_last4: '4821' } }));
  h.output(h.send({ eventId: 'b', order: { email: 'bob.roe12@example.org', card_last4: '0042', amount: 48.21 } }));
  return h;
}

describe('pii', () => {
  it('masks values for evidence', () => {
    expect(maskPii('jane.doe7@example.com')).toBe('j***@example.com');
    expect(maskPii('4821')).toBe('****');
    expect(maskPii('secret-token')).toBe('s***');
  });

  it('passes when outputs carry tokens only; DLQ and bronze keep raw bytes and are exempt; numbers do not match short values', async () => {
    const h = history();
    const p = h.send({ eventId: 'p', truth: 'poison', order: { email: 'carl@example.net' } });
    h.dlq(p);
    h.bronze(p);
    h.gold({ partition: 0, window_start_ms: T0_MS, region: 'eu-west', event_count: 4821, order_count: 1, revenue_cents: 48210 });
    const result = await run(h);
    expect(result).toMatchObject({ valid: true, counts: { piiValues: 5, leakedRecords: 0 } });
  });

  it('fails on a raw email (any case) or a card number as a JSON string, with masked evidence', async () => {
    const h = history();
    const leak = h.send({ eventId: 'c', order: { email: 'jane.doe7@example.com' } });
    h.output(leak, { value: Buffer.from('{"event_id":"c","customer":{"id":"cust-1","email":"Jane.Doe7@Example.com"}}') });
    h.late(leak, { value: Buffer.from('{"event_id":"c","note":"card \\"0042\\"","card":"0042"}') });
    h.observe('records', { topic: 'sink:lake', value: Buffer.from('{"contact":"bob.roe12@example.org"}') }); // a records sink row
    const result = await run(h);
    expect(result.valid).toBe(false);
    expect(result.counts).toMatchObject({ leakedRecords: 3, 'leaked.customer.email': 2, 'leaked.customer.card_last4': 1 });
    expect(result.examples).toContainEqual({ field: 'customer.email', value: 'j***@example.com', record: 'records records/0/2 value', records: 1 });
    expect(JSON.stringify(result)).not.toMatch(/jane\.doe7|bob\.roe12|"0042"/i);
  });

  it('takes PII values from info and fail sends too (the bytes were handed to Kafka, or may have been)', async () => {
    const h = history();
    const info = h.send({ eventId: 'i', outcome: 'info', order: { email: 'ivy.info@example.com' } });
    h.output(info, { value: Buffer.from('{"email":"ivy.info@example.com"}'), headers: { 'sp-event-id': 'i' } });
    expect(await run(h)).toMatchObject({ valid: false, counts: { leakedRecords: 1 } });
  });

  it('takes the fields from the workload domain when none are given', async () => {
    const h = history();
    h.meta.scenario = { workload: { domain: 'orders' } };
    const sent = h.send({ eventId: 'd', order: { email: 'dora.domain@example.com', card_last4: '4242' } });
    h.output(sent, { value: Buffer.from('{"note":"dora.domain@example.com"}'), headers: { 'sp-event-id': 'd' } });
    expect(await run(h, {})).toMatchObject({ valid: false, counts: { leakedRecords: 1 } });
    h.meta.scenario = { workload: { domain: 'iot' } };
    expect(await run(h, {})).toMatchObject({ valid: true, counts: { skipped: 1 } });
  });

  it('takes the fields a declared domain (a domain file in the scenario) names, e.g. a card number under a nested object', async () => {
    const h = new SyntheticHistory();
    const value = (pan: string) => Buffer.from(JSON.stringify({ payment_id: 'p1', card: { pan, brand: 'visa' }, amount: 12 }));
    const sent = h.send({ eventId: 'p1', value: value('4111111111111111') });
    h.observe('records', { key: sent.key, value: Buffer.from('{"payment_id":"p1","card":{"pan":"4111111111111111"}}'), headers: { 'sp-event-id': 'p1' } });
    h.meta.scenario = { workload: { domain: { name: 'payments', pii: ['card.pan'] } } };
    expect(await run(h, {})).toMatchObject({ valid: false, counts: { leakedRecords: 1, 'leaked.card.pan': 1 } });
    h.meta.scenario = { workload: { domain: { name: 'payments' } } };
    expect(await run(h, {})).toMatchObject({ valid: true, counts: { skipped: 1 } });
  });

  it('is unknown without fields or a known domain, unknown when the inputs hold none of them, and rejects a bad path', async () => {
    const h = history();
    expect(await run(h, {})).toMatchObject({ valid: 'unknown', counts: { skipped: 1 } });
    expect((await run(h, { piiFields: ['customer.phone'] })).valid).toBe('unknown');
    await expect(run(h, { piiFields: ['customer..x'] })).rejects.toThrow(/dotted field path/);
  });

  describe('everywhere a consumer can read, as a SUT declares its outputs', () => {
    /** A SUT that is not the reference: a DLQ that wraps the original under $.original, a bronze copy that keeps the bytes. */
    const declared = (dlqKeeps: boolean | string | undefined) => defineSut({
      name: 'wrapper', command: ['true'],
      topics: {
        input: [{ name: 'orders', partitions: 1 }],
        outputs: [
          { name: 'records', role: 'records' },
          { name: 'dlq', role: 'dlq', ...(dlqKeeps === undefined ? {} : { keepsOriginalPayload: dlqKeeps }) },
          { name: 'bronze', role: 'bronze', keepsOriginalPayload: true },
        ],
      },
    });
    const params = (dlqKeeps?: boolean | string): CheckerParams => ({ ...PARAMS, declared: declared(dlqKeeps) });

    it('finds PII in a header or a key of a records output, and in sink metadata', async () => {
      const h = history();
      const sent = h.send({ eventId: 'h', order: { email: 'hal.header@example.com' } });
      h.output(sent, { headers: { 'sp-event-id': 'h', 'x-customer': 'hal.header@example.com' } });
      h.output(h.send({ eventId: 'k', order: { card_last4: '7310' } }), { key: '7310' });
      h.observe('sink-metadata', { topic: 'sink:lake', value: Buffer.from('{"key":"last_writer","value":"hal.header@example.com"}') });
      const r = await run(h, params(true));
      expect(r).toMatchObject({ valid: false, counts: { leakedRecords: 3, 'leaked.in.headers': 1, 'leaked.in.key': 1, 'leaked.in.value': 1 } });
      expect(r.examples).toContainEqual({ field: 'customer.email', value: 'h***@example.com', record: 'records records/0/2 headers', records: 2 });
      expect(r.summary).toContain('1 in headers');
    });

    it('lets a DLQ keep the original payload only when declared, and still searches its headers', async () => {
      const h = history();
      const poison = h.send({ eventId: 'p', truth: 'poison', order: { email: 'pat.poison@example.com' } });
      h.dlq(poison);
      h.bronze(poison);
      expect(await run(h, params(true))).toMatchObject({ valid: true });
      expect(await run(h, params(undefined))).toMatchObject({ valid: false, counts: { leakedRecords: 1, 'leaked.in.value': 1 } });
      h.dlq(poison, 'invalid-value', { headers: { 'sp-dlq-detail': 'bad email pat.poison@example.com' } });
      expect(await run(h, params(true))).toMatchObject({ valid: false, counts: { leakedRecords: 1, 'leaked.in.headers': 1 } });
    });

    it('exempts the declared part of a bronze table row, beside a DLQ that keeps malformed bytes', async () => {
      const lake = defineSut({
        name: 'lakehouse', command: ['true'],
        topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'records', role: 'records' }, { name: 'dlq', role: 'dlq', keepsOriginalPayload: true }] },
        sinks: [{ name: 'bronze', kind: 'delta', path: 'bronze', role: 'bronze', identity: { path: '$.event_id' }, keepsOriginalPayload: '$.value' }],
      });
      const h = history();
      const sent = h.send({ eventId: 'b', order: { email: 'bea.bronze@example.com' } });
      const raw = Buffer.from(sent.value).toString('utf8');
      // A truncated (malformed) value in the DLQ: no JSON path may be evaluated on it.
      h.dlq(h.send({ eventId: 'm', truth: 'poison' }), 'malformed-json', { value: Buffer.from(raw.slice(0, 40)) });
      h.observe('bronze', { topic: 'sink:bronze', value: Buffer.from(JSON.stringify({ offset: 0, value: raw, event_id: 'b' })) });
      expect(await run(h, { ...PARAMS, declared: lake })).toMatchObject({ valid: true });
      h.observe('bronze', { topic: 'sink:bronze', value: Buffer.from(JSON.stringify({ offset: 1, value: raw, event_id: 'b', loaded_by: 'bea.bronze@example.com' })) });
      expect(await run(h, { ...PARAMS, declared: lake })).toMatchObject({ valid: false, counts: { 'leaked.in.value': 1 } });
    });

    it('exempts only the declared part of a wrapping DLQ value', async () => {
      const h = history();
      const poison = h.send({ eventId: 'w', truth: 'poison', order: { email: 'wes.wrap@example.com' } });
      h.dlq(poison, 'malformed-json', { value: Buffer.from(JSON.stringify({ reason: 'bad', original: Buffer.from(poison.value).toString('utf8') })) });
      expect(await run(h, params('$.original'))).toMatchObject({ valid: true });
      h.dlq(poison, 'malformed-json', { value: Buffer.from(JSON.stringify({ reason: 'bad wes.wrap@example.com', original: Buffer.from(poison.value).toString('utf8') })) });
      expect(await run(h, params('$.original'))).toMatchObject({ valid: false, counts: { 'leaked.in.value': 1 } });
    });
  });
});
