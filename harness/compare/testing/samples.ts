/** Seeded metric samples for canary tests: a skewed, latency-like distribution. */
import { Random } from '../../random.ts';

/** `size` values of scale * (1 + Exp(1)), so the median is about 1.69 * scale. */
export function latencyLike(seed: number, size: number, scale: number): number[] {
  const random = new Random(seed);
  return Array.from({ length: size }, () => scale * (1 - Math.log(1 - random.next())));
}
