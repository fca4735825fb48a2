import { describe, expect, it } from 'vitest';
import { compileRateProfile, describeRateProfile, type RateProfile } from './rate-profile.ts';

const arrivalTimes = (profile: RateProfile, n: number) => {
  const schedule = compileRateProfile(profile);
  return Array.from({ length: n }, (_, k) => schedule.timeOf(k));
};

describe('compileRateProfile', () => {
  it('constant: arrival k at k/rate, the first at t = 0, for ever', () => {
    const schedule = compileRateProfile({ kind: 'constant', rate: 200 });
    expect(arrivalTimes({ kind: 'constant', rate: 200 }, 5)).toEqual([0, 5, 10, 15, 20]);
    expect(schedule.endMs).toBe(Infinity);
    expect(schedule.expectedBy(1000)).toBeCloseTo(200);
    expect(schedule.expectedBy(60_000)).toBeCloseTo(12_000);
    expect(schedule.timeOf(12_000)).toBeCloseTo(60_000);
    expect(schedule.rateAt(123_456)).toBe(200);
  });

  it('ramping: the count is the integral of a linear rate, and the profile ends with its stages', () => {
    // 0 -> 1000/s over 1 s, then 1000/s for 1 s.
    const schedule = compileRateProfile({ kind: 'ramping', stages: [{ durationMs: 1000, target: 1000 }, { durationMs: 1000, target: 1000 }] });
    expect(schedule.endMs).toBe(2000);
    expect(schedule.expectedBy(1000)).toBeCloseTo(500);
    expect(schedule.expectedBy(2000)).toBeCloseTo(1500);
    expect(schedule.expectedBy(5000)).toBeCloseTo(1500);
    expect(schedule.rateAt(500)).toBeCloseTo(500);
    expect(schedule.rateAt(2500)).toBe(0);
    // expected(t) = t²/2000 on the ramp: arrival n at sqrt(2000 n).
    expect(schedule.timeOf(2)).toBeCloseTo(Math.sqrt(4000));
    expect(schedule.timeOf(500)).toBeCloseTo(1000);
    expect(schedule.timeOf(1000)).toBeCloseTo(1500);
    expect(schedule.timeOf(1501)).toBe(Infinity);
  });

  it('ramping down and from a start rate', () => {
    const schedule = compileRateProfile({ kind: 'ramping', startRate: 100, stages: [{ durationMs: 2000, target: 0 }] });
    expect(schedule.expectedBy(2000)).toBeCloseTo(100);
    expect(schedule.timeOf(100)).toBeCloseTo(2000, 3);
    const gaps = arrivalTimes({ kind: 'ramping', startRate: 100, stages: [{ durationMs: 2000, target: 0 }] }, 100)
      .slice(1)
      .map((t, i, all) => t - (i === 0 ? 0 : all[i - 1]!));
    // Slowing down: the gaps between arrivals only grow.
    expect(gaps.every((gap, i) => i === 0 || gap >= gaps[i - 1]! - 1e-9)).toBe(true);
  });

  it('bursts: base rate, then a burst at the end of every period', () => {
    const profile: RateProfile = { kind: 'bursts', baseRate: 100, burstRate: 1000, periodMs: 1000, burstMs: 100 };
    const schedule = compileRateProfile(profile);
    expect(schedule.rateAt(50)).toBe(100);
    expect(schedule.rateAt(950)).toBe(1000);
    expect(schedule.rateAt(1050)).toBe(100);
    expect(schedule.expectedBy(900)).toBeCloseTo(90);
    expect(schedule.expectedBy(1000)).toBeCloseTo(190);
    expect(schedule.expectedBy(10_000)).toBeCloseTo(1900);
    expect(schedule.timeOf(91)).toBeCloseTo(901);
    expect(schedule.timeOf(190 + 1)).toBeCloseTo(1010);
    expect(describeRateProfile(profile)).toBe('100/s with 1000/s bursts of 100 ms every 1000 ms');
  });

  it('bursts over a zero base rate: a whole number of periods is reached when the burst ends', () => {
    const schedule = compileRateProfile({ kind: 'bursts', baseRate: 0, burstRate: 1000, periodMs: 1000, burstMs: 100 });
    expect(schedule.timeOf(0)).toBe(0);
    expect(schedule.timeOf(1)).toBeCloseTo(901);
    expect(schedule.timeOf(100)).toBeCloseTo(1000);
    expect(schedule.timeOf(101)).toBeCloseTo(1901);
  });

  it('rejects bad profiles with CONFIG_INVALID naming the field', () => {
    const bad = (profile: unknown) => () => compileRateProfile(profile as RateProfile);
    expect(bad({ kind: 'constant', rate: 0 })).toThrow(/'rate.rate' must be > 0/);
    expect(bad({ kind: 'constant', rate: -1 })).toThrow(/'rate.rate'/);
    expect(bad({ kind: 'ramping', stages: [] })).toThrow(/'rate.stages'/);
    expect(bad({ kind: 'ramping', stages: [{ durationMs: 0, target: 5 }] })).toThrow(/'rate.stages\[0\].durationMs'/);
    expect(bad({ kind: 'bursts', baseRate: 1, burstRate: 2, periodMs: 100, burstMs: 100 })).toThrow(/'rate.burstMs'/);
    expect(bad({ kind: 'poisson', rate: 5 })).toThrow(/'rate.kind'/);
    try {
      bad({ kind: 'constant', rate: Number.NaN })();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', context: { option: 'rate.rate' } });
    }
  });
});
