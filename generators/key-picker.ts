import type { Random } from '../harness/random.ts';
import type { KeyDistribution } from './options.ts';

/** Picks key ranks in [0, keyCount): rank 0 is the hottest key under Zipf. */
export interface KeyPicker {
  pick(): number;
}

export interface KeyPickerOptions {
  distribution: KeyDistribution;
  keyCount: number;
  /** Zipf exponent s: P(rank k) is proportional to 1 / (k + 1)^s. */
  zipfExponent: number;
}

/** Generalized harmonic number H(n, s) = sum over k = 1..n of k^-s. */
export function harmonic(n: number, s: number): number {
  let sum = 0;
  for (let k = n; k >= 1; k--) sum += k ** -s; // smallest terms first for accuracy
  return sum;
}

/** The theoretical share of the hottest key under Zipf(s) over n keys: 1 / H(n, s). */
export function zipfTopShare(n: number, s: number): number {
  return 1 / harmonic(n, s);
}

/** Inverse-CDF sampling of ranks 0..n-1 with P(k) ∝ (k + 1)^-s: a cumulative table once (O(n)), O(log n) per draw. */
export function zipfRanks(n: number, s: number): (random: Random) => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += (k + 1) ** -s;
    cdf[k] = sum;
  }
  return (random) => {
    const target = random.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

export function createKeyPicker(options: KeyPickerOptions, random: Random): KeyPicker {
  const { keyCount } = options;
  if (options.distribution === 'uniform') return { pick: () => random.int(0, keyCount - 1) };
  const draw = zipfRanks(keyCount, options.zipfExponent);
  return { pick: () => draw(random) };
}
