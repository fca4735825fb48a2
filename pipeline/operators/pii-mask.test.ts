import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderEventArb } from '../../generators/arbitraries.ts';
import type { BugName } from './bugs.ts';
import { EMAIL_TOKEN_PATTERN, PiiMasker, type MaskedOrder } from './pii-mask.ts';
import { bugHuntParams, fcParams } from './testing/fc-params.ts';
import { validateOrder, type SilverOrder } from './validate-order.ts';

/** Well-formed orders, some with extra card-ish fields at the top level and in customer, through the validator. */
const silverArb = fc
  .tuple(orderEventArb(), fc.boolean(), fc.stringMatching(/^[0-9]{12,19}$/))
  .map(([order, extra, pan]) => {
    const value = extra ? { ...order, card_number: pan, customer: { ...order.customer, card_number: pan, card_expiry: '12/29' } } : order;
    const result = validateOrder(Buffer.from(JSON.stringify(value)));
    if (!result.ok) throw new Error(`arbitrary made an invalid order: ${result.reason}`);
    return result.event;
  });

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

function assertNoPii(input: SilverOrder, output: MaskedOrder): void {
  const text = JSON.stringify(output);
  expect(text).not.toContain(input.customer.email);
  expect(text.toLowerCase()).not.toContain(input.customer.email.trim().toLowerCase());
  expect(keysOf(output).filter((k) => /card|email$|pan|cvv/i.test(k))).toEqual([]);
  expect(Object.keys(output.customer).sort()).toEqual(['email_token', 'id']);
  expect(output.customer.id).toBe(input.customer.id);
  expect(output.customer.email_token).toMatch(EMAIL_TOKEN_PATTERN);
}

const property = (bugs: ReadonlySet<BugName>) => fc.property(silverArb, (input) => assertNoPii(input, new PiiMasker({ secret: 's3cret', bugs }).mask(input)));

describe('PiiMasker', () => {
  it('no raw email and no card field in any output, for any order', () => {
    fc.assert(property(new Set()), fcParams(300));
  });

  it('keeps every non-PII field as it was', () => {
    fc.assert(
      fc.property(silverArb, (input) => {
        const { customer: _c, ...rest } = new PiiMasker({ secret: 'k' }).mask(input);
        const { customer: _i, ...expected } = input;
        expect(rest).toEqual(expected);
      }),
      fcParams(100),
    );
  });

  it('tokens are deterministic per secret, case- and space-insensitive, and differ across emails and secrets', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => {
        const m = new PiiMasker({ secret: 'one' });
        expect(m.token(a)).toBe(new PiiMasker({ secret: 'one' }).token(` ${a.toUpperCase()} `));
        expect(m.token(a)).not.toBe(new PiiMasker({ secret: 'two' }).token(a));
        if (a.toLowerCase() !== b.toLowerCase()) expect(m.token(a)).not.toBe(m.token(b));
      }),
      fcParams(200),
    );
    // HMAC-SHA256('k', 'a@b.c'), first 16 hex digits (node -e + crypto): fixed, so tokens stay stable across versions.
    expect(new PiiMasker({ secret: 'k' }).token('a@b.c')).toBe('tok_72077525838fddbe');
  });

  it('rejects an empty secret', () => {
    expect(() => new PiiMasker({ secret: '' })).toThrow(/'secret' must be a non-empty string/);
  });

  it('planted bug pii-leak fails the property', () => {
    const details = fc.check(property(new Set(['pii-leak'])), bugHuntParams(50));
    expect(details.failed).toBe(true);
  });
});
