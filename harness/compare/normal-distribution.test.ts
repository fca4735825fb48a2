import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalQuantile, normalSf } from './normal-distribution.ts';

// Reference values: scipy 1.17.1, scipy.special.erfc(x), scipy.stats.norm.cdf/sf/ppf.
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('normal distribution', () => {
  it('erfc matches scipy to ~1e-13 relative, far into the tail', () => {
    const cases: [number, number][] = [
      [0.1, 0.8875370839817152],
      [1, 0.15729920705028516],
      [1.99, 0.004888586800383002],
      [2, 0.004677734981047266],
      [3, 2.2090496998585445e-5],
      [5, 1.5374597944280347e-12],
      [10, 2.0884875837625446e-45],
      [-3, 1.9999779095030015],
    ];
    for (const [x, expected] of cases) expect(relative(erfc(x), expected), `erfc(${x})`).toBeLessThan(1e-13);
  });

  it('cdf and sf keep their precision in the tail they are asked for', () => {
    expect(relative(normalCdf(-8), 6.22096057427174e-16)).toBeLessThan(1e-12);
    expect(relative(normalSf(8), 6.22096057427174e-16)).toBeLessThan(1e-12);
    expect(relative(normalSf(20), 2.7536241186061556e-89)).toBeLessThan(1e-12);
    expect(relative(normalCdf(1.2), 0.8849303297782918)).toBeLessThan(1e-14);
  });

  it('quantile inverts the cdf (scipy norm.ppf)', () => {
    const cases: [number, number][] = [
      [1e-10, -6.361340902404056],
      [0.01, -2.3263478740408408],
      [0.025, -1.9599639845400545],
      [0.3, -0.5244005127080409],
      [0.975, 1.959963984540054],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, expected] of cases) expect(normalQuantile(p), `ppf(${p})`).toBeCloseTo(expected, 11);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});
