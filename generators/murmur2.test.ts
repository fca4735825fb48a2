import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Random } from '../harness/random.ts';
import { kafkaPartition, murmur2, toPositive } from './murmur2.ts';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;

describe('murmur2', () => {
  it("matches the Java client's published test vectors (UtilsTest.testMurmur2)", () => {
    const cases: Array<[string | Uint8Array, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      [new Uint8Array([0x61, 0x62, 0x63]), 479470107],
    ];
    for (const [key, expected] of cases) expect(murmur2(key)).toBe(expected);
  });

  it("agrees with kafkajs's DefaultPartitioner hash on random keys of every length", () => {
    const random = new Random(2024);
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: random.int(0, 40) }, () => random.int(0, 255)));
      expect(murmur2(bytes)).toBe(kafkajsMurmur2(bytes));
      const text = `cust-${random.int(0, 1_000_000)}-é${i}`;
      expect(murmur2(text)).toBe(kafkajsMurmur2(text));
    }
  });

  it('maps keys to partitions like the default partitioner', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    for (const key of ['21', 'foobar', 'cust-000001']) {
      expect(kafkaPartition(key, 6)).toBe((kafkajsMurmur2(key) & 0x7fffffff) % 6);
    }
    expect(() => kafkaPartition('x', 0)).toThrow(RangeError);
  });
});
