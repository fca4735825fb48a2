import { describe, expect, it } from 'vitest';
import { quantileOfSorted, sampleStats } from './sample-stats.ts';

describe('sampleStats', () => {
  it('matches numpy mean and quantile (linear interpolation)', () => {
    // numpy: a = [(i*7919 % 1009)/10 for i in 1..101]; a.mean(), numpy.quantile(a, [0.5, 0.95, 0.99])
    const sample = Array.from({ length: 101 }, (_, i) => (((i + 1) * 7919) % 1009) / 10);
    const stats = sampleStats(sample);
    expect(stats.n).toBe(101);
    expect(stats.mean).toBeCloseTo(51.875247524752474, 10);
    expect(stats.p50).toBeCloseTo(51.7, 10);
    expect(stats.p95).toBeCloseTo(96.8, 10);
    expect(stats.p99).toBeCloseTo(100.1, 10);
  });

  it('interpolates between the middle values of an even sample and is NaN when empty', () => {
    expect(quantileOfSorted([1, 2, 3, 10], 0.5)).toBe(2.5);
    expect(sampleStats([]).p50).toBeNaN();
    expect(sampleStats([4]).p99).toBe(4);
  });
});
