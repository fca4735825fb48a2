import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clickstreamEventArb, eventSequenceArb, generatorOptionsArb, iotEventArb, orderEventArb } from './arbitraries.ts';
import { kafkaPartition } from './murmur2.ts';
import { resolveGeneratorOptions } from './options.ts';

describe('arbitraries', () => {
  it('makes well-formed events of every domain', () => {
    fc.assert(
      fc.property(orderEventArb(), clickstreamEventArb(), iotEventArb(), (order, click, reading) => {
        expect(order.customer.id).toBe(order.key);
        expect(Math.round(order.amount * 100) / 100).toBe(order.amount);
        expect('coupon_code' in order).toBe(order.schema_version === 2);
        expect(click.user_id).toBe(click.key);
        expect('referrer' in click).toBe(click.schema_version === 2);
        expect(reading.device_id).toBe(reading.key);
        expect(JSON.parse(JSON.stringify(order))).toEqual(order);
      }),
    );
    fc.assert(fc.property(orderEventArb({ schemaVersion: 1 }), (order) => order.schema_version === 1 && !('coupon_code' in order)));
  });

  it('only makes options the generator accepts', () => {
    fc.assert(fc.property(generatorOptionsArb(), (options) => void resolveGeneratorOptions(options)), { numRuns: 300 });
  });

  it('makes sequences whose ground truth holds (duplicates, lateness, idle partitions, poison)', () => {
    fc.assert(
      fc.property(eventSequenceArb({ allKnobs: true, maxCount: 150 }), ({ options, records }) => {
        const bound = options.latenessBoundMs!;
        const ids = new Set<string>();
        let max = -Infinity;
        expect(records).toHaveLength(options.count);
        for (const r of records) {
          expect(r.index).toBe(records.indexOf(r));
          if (options.idlePartitions?.length) expect(options.idlePartitions).not.toContain(kafkaPartition(r.key, options.partitions!));
          if (r.truth.kind === 'poison') {
            expect(options.poisonKinds).toContain(r.truth.poisonKind);
            continue;
          }
          expect(r.truth.expectedLate).toBe(r.eventTimeMs < max - bound);
          if (r.truth.kind === 'duplicate') {
            const original = records[r.truth.duplicateOf!]!;
            expect(r.value.equals(original.value)).toBe(true);
          } else {
            expect(ids.has(r.eventId)).toBe(false);
            ids.add(r.eventId);
          }
          max = Math.max(max, r.eventTimeMs);
        }
      }),
      { numRuns: 100 },
    );
  });
});
