import { describe, expect, it } from 'vitest';
import { clockAnchorUs, msToUs, nowUs, usToMs } from './clock.ts';

describe('clock', () => {
  it('reads epoch microseconds close to the wall clock, as integers that never go back', () => {
    const readings = Array.from({ length: 1000 }, () => nowUs());
    readings.forEach((us, i) => {
      expect(Number.isSafeInteger(us)).toBe(true);
      if (i > 0) expect(us).toBeGreaterThanOrEqual(readings[i - 1]!);
    });
    expect(Math.abs(usToMs(nowUs()) - Date.now())).toBeLessThan(1000);
    expect(clockAnchorUs()).toBeLessThanOrEqual(nowUs());
  });

  it('converts between ms and µs', () => {
    expect(msToUs(1_700_000_000_123)).toBe(1_700_000_000_123_000);
    expect(usToMs(1_700_000_000_123_999)).toBe(1_700_000_000_123);
  });
});
