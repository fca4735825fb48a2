import { describe, expect, it } from 'vitest';
import { Random } from '../harness/random.ts';
import { buildKeySpace } from './key-space.ts';
import { kafkaPartition } from './murmur2.ts';

describe('buildKeySpace', () => {
  it('makes keyCount distinct keys with the prefix, shuffled by the seed', () => {
    const a = buildKeySpace({ prefix: 'cust', keyCount: 50 }, new Random(1));
    expect(new Set(a).size).toBe(50);
    expect(a.every((k) => /^cust-\d{6}$/.test(k))).toBe(true);
    expect(buildKeySpace({ prefix: 'cust', keyCount: 50 }, new Random(1))).toEqual(a);
    expect(buildKeySpace({ prefix: 'cust', keyCount: 50 }, new Random(2))).not.toEqual(a);
  });

  it('keeps every key off the idle partitions under the murmur2 partitioner', () => {
    const keys = buildKeySpace({ prefix: 'dev', keyCount: 500, partitions: 6, idlePartitions: [0, 4] }, new Random(3));
    expect(keys).toHaveLength(500);
    const used = new Set(keys.map((k) => kafkaPartition(k, 6)));
    expect(used.has(0) || used.has(4)).toBe(false);
    expect([...used].sort()).toEqual([1, 2, 3, 5]);
  });
});
