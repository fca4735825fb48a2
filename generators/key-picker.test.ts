import { describe, expect, it } from 'vitest';
import { Random } from '../harness/random.ts';
import { createKeyPicker, harmonic, zipfTopShare } from './key-picker.ts';

function shares(distribution: 'uniform' | 'zipf', keyCount: number, zipfExponent: number, draws: number): number[] {
  const picker = createKeyPicker({ distribution, keyCount, zipfExponent }, new Random(7));
  const counts = new Array<number>(keyCount).fill(0);
  for (let i = 0; i < draws; i++) counts[picker.pick()]!++;
  return counts.map((c) => c / draws);
}

describe('createKeyPicker', () => {
  it('computes the generalized harmonic number', () => {
    expect(harmonic(1, 1)).toBe(1);
    expect(harmonic(3, 1)).toBeCloseTo(1 + 1 / 2 + 1 / 3, 12);
    expect(zipfTopShare(4, 2)).toBeCloseTo(1 / (1 + 1 / 4 + 1 / 9 + 1 / 16), 12);
  });

  it('gives Zipf(s) skew: the top key share matches 1/H(n,s), and rank shares fall as k^-s', () => {
    const n = 100;
    for (const s of [0.8, 1.2, 2]) {
      const observed = shares('zipf', n, s, 200_000);
      const top = zipfTopShare(n, s);
      expect(Math.abs(observed[0]! - top)).toBeLessThan(0.01);
      expect(observed[1]! / observed[0]!).toBeCloseTo(2 ** -s, 1);
    }
  });

  it('gives every key about the same share under uniform', () => {
    const observed = shares('uniform', 20, 1, 100_000);
    for (const share of observed) expect(Math.abs(share - 0.05)).toBeLessThan(0.01);
  });

  it('stays inside [0, keyCount) including a single key', () => {
    const picker = createKeyPicker({ distribution: 'zipf', keyCount: 1, zipfExponent: 3 }, new Random(1));
    for (let i = 0; i < 100; i++) expect(picker.pick()).toBe(0);
  });
});
