import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSequenceArb, orderEventArb } from '../../generators/arbitraries.ts';
import { fcParams } from './testing/fc-params.ts';
import { validateOrder, checkValidateOrderOptions } from './validate-order.ts';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

describe('validateOrder', () => {
  it('accepts every well-formed v1/v2 order and mirrors its fields (coupon_code null when absent)', () => {
    fc.assert(
      fc.property(orderEventArb(), (order) => {
        const result = validateOrder(bytes(order));
        expect(result).toEqual({ ok: true, event: { ...order, coupon_code: order.coupon_code ?? null } });
      }),
      fcParams(300),
    );
  });

  it('routes generated records by their ground truth: poison by kind, breaking-rename and type-change v2 rejected, the rest accepted', () => {
    fc.assert(
      fc.property(eventSequenceArb({ domain: 'orders', allKnobs: true, maxCount: 120 }), ({ options, records }) => {
        for (const record of records) {
          const result = validateOrder(record.value, { maxRecordBytes: 4095 }); // oversized poison is 4096..8192 bytes here
          if (record.truth.kind === 'poison') {
            expect(result).toMatchObject({ ok: false, reason: record.truth.poisonKind });
          } else if (options.drift === 'breaking-rename' && record.truth.schemaVersion === 2) {
            expect(result).toMatchObject({ ok: false, reason: 'breaking-rename' });
          } else if (options.drift === 'type-change' && record.truth.schemaVersion === 2) {
            expect(result).toMatchObject({ ok: false, reason: 'wrong-type' }); // v2's amount is a string
          } else {
            expect(result.ok).toBe(true);
            if (result.ok) expect(result.event.event_id).toBe(record.eventId);
          }
        }
      }),
      fcParams(100),
    );
  });

  it('names the problem', () => {
    const good = { event_id: 'e1', event_type: 'order_paid', schema_version: 1, event_time_ms: 5, key: 'cust-1', order_id: 'ORD-1', amount: 1.5, currency: 'EUR', region: 'eu-west', customer: { id: 'cust-1', email: 'a@b.c', card_last4: '1234' } };
    const reason = (value: unknown, max?: number) => {
      const r = validateOrder(bytes(value), { maxRecordBytes: max });
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason(good)).toBe('ok');
    expect(reason(good, 10)).toBe('oversized');
    expect(reason('{"event_id":')).toBe('malformed-json');
    expect(validateOrder(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, reason: 'malformed-json' });
    expect(reason([good])).toBe('not-an-object');
    expect(reason('null')).toBe('not-an-object');
    expect(reason({ ...good, schema_version: 3 })).toBe('unknown-schema-version');
    expect(reason({ ...good, schema_version: '1' })).toBe('wrong-type');
    expect(reason({ ...good, currency: undefined })).toBe('missing-field');
    expect(reason({ ...good, customer: { id: 'c', email: 'e' } })).toBe('missing-field');
    expect(reason({ ...good, amount: '1.50' })).toBe('wrong-type');
    expect(reason({ ...good, customer: 'c' })).toBe('wrong-type');
    expect(reason({ ...good, schema_version: 2, coupon_code: 7 })).toBe('wrong-type');
    expect(reason({ ...good, region: 'mars' })).toBe('invalid-value');
    expect(reason({ ...good, event_type: 'order_teleported' })).toBe('invalid-value');
    expect(reason({ ...good, amount: 1.234 })).toBe('invalid-value');
    expect(reason({ ...good, amount: -1 })).toBe('invalid-value');
    expect(reason({ ...good, event_time_ms: 1.5 })).toBe('invalid-value');
    const { amount, ...renamed } = good;
    expect(reason({ ...renamed, schema_version: 2, total_amount: amount })).toBe('breaking-rename');
    expect(reason({ ...renamed, schema_version: 2, total_amount: 'x' })).toBe('wrong-type');
  });

  it('never quotes record text in the detail (it may be PII)', () => {
    const r = validateOrder(bytes('zz jane.doe@example.com'));
    expect(r).toMatchObject({ ok: false, reason: 'malformed-json' });
    expect(JSON.stringify(r)).not.toContain('jane');
  });

  it('drops unknown fields', () => {
    const r = validateOrder(bytes({ event_id: 'e', event_type: 'order_placed', schema_version: 2, event_time_ms: 1, key: 'k', order_id: 'o', amount: 1, currency: 'USD', region: 'us-east', customer: { id: 'k', email: 'x@y.z', card_last4: '0001', card_number: '4111' }, card_cvv: '123' }));
    expect(r.ok && JSON.stringify(r.event)).not.toMatch(/card_number|card_cvv/);
  });

  it('rejects a bad maxRecordBytes', () => {
    expect(() => checkValidateOrderOptions({ maxRecordBytes: 0 })).toThrow(/'maxRecordBytes' must be a positive integer/);
  });
});
