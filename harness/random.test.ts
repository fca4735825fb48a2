import { describe, expect, it } from 'vitest';
import { Random, hashString } from './random.ts';

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(42)));
    const c = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('forks streams that do not depend on how much the parent was used', () => {
    const parent = new Random(7);
    const before = parent.fork('faults').next();
    parent.next();
    parent.next();
    expect(parent.fork('faults').next()).toBe(before);
    expect(parent.fork('workload').next()).not.toBe(before);
  });

  it('keeps int() inside its bounds', () => {
    const r = new Random(1);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(5);
    }
  });

  it('hashes strings stably', () => {
    expect(hashString('streamproof')).toBe(hashString('streamproof'));
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});
