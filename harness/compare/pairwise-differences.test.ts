import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { PairwiseDifferences } from './pairwise-differences.ts';
import { cpuTimeOf } from './testing/cpu-time.ts';

function bruteForce(x: number[], y: number[]): Float64Array {
  const all = new Float64Array(x.length * y.length);
  let k = 0;
  for (const a of x) for (const b of y) all[k++] = a - b;
  return all.sort();
}

function sample(random: Random, size: number, draw: () => number): number[] {
  return Array.from({ length: size }, draw);
}

describe('PairwiseDifferences', () => {
  const cases: [string, (r: Random) => number][] = [
    ['continuous', (r) => r.next() * 1000],
    ['heavy ties', (r) => r.int(0, 2)],
    ['long tail', (r) => Math.exp(r.next() * 12)],
  ];
  for (const [name, draw] of cases) {
    it(`selects the same order statistics as sorting all differences (${name}, bisection path)`, () => {
      const random = new Random(7).fork(name);
      const x = sample(random, 420, () => draw(random));
      const y = sample(random, 390, () => draw(random));
      const expected = bruteForce(x, y);
      const differences = new PairwiseDifferences(x, y);
      for (const k of [1, 2, 999, 81_900, 81_901, 150_000, expected.length]) {
        expect(differences.orderStatistic(k), `k=${k}`).toBe(expected[k - 1]);
      }
      expect(differences.countAtMost(expected[5000] as number)).toBeGreaterThanOrEqual(5001);
    });
  }

  it('handles tiny samples and the median of an even count', () => {
    const differences = new PairwiseDifferences([1, 5], [0, 2]);
    // differences: -1, 1, 3, 5
    expect(differences.orderStatistic(1)).toBe(-1);
    expect(differences.median()).toBe(2);
    expect(() => differences.orderStatistic(5)).toThrow(RangeError);
  });

  it('stays fast at 20k values per side (4e8 differences)', () => {
    const random = new Random(11);
    const x = sample(random, 20_000, () => 50 + random.next() * 30);
    const y = sample(random, 20_000, () => 45 + random.next() * 30);
    const differences = new PairwiseDifferences(x, y);
    const { result: median, cpuMs } = cpuTimeOf(() => differences.median());
    // Exactness without materialising: half of the differences lie on each side of the median.
    expect(differences.countAtMost(median)).toBeGreaterThanOrEqual(differences.size / 2);
    expect(differences.countAtMost(median - 1e-9)).toBeLessThanOrEqual(differences.size / 2);
    expect(median).toBeGreaterThan(4);
    expect(median).toBeLessThan(6);
    expect(cpuMs).toBeLessThan(10_000);
  });
});
