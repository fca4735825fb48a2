import { describe, expect, it } from 'vitest';
import { judgeStep, lagGrowth, slope, type StepMeasure } from './step-judgement.ts';

// Figures in the shape a 1000/s step of the reference pipeline gives.
const held: StepMeasure = {
  rate: 1000, sentPerS: 998.4, consumedPerS: 991.2, recordsPerS: 981.7, p50Ms: 420, p99Ms: 1850, lagGrowthPerS: 3.2, lagMax: 640,
  slas: [{ scope: 'steady', threshold: 'e2e_latency.p99 < 8s', measured: 1850, passed: true }], steal: 0.01,
};

describe('judgeStep', () => {
  it('passes a step that kept up and held its SLAs', () => {
    expect(judgeStep(held)).toEqual({ passed: true, reasons: [], notes: [], starved: false });
  });

  it('fails on growing lag even when the SLAs still hold', () => {
    const j = judgeStep({ ...held, lagGrowthPerS: 180 });
    expect(j.passed).toBe(false);
    expect(j.reasons).toEqual(['lag grew by 180/s (bound 51/s)']);
  });

  it('fails when the SUT outputs less than it is sent', () => {
    expect(judgeStep({ ...held, recordsPerS: 700 }).reasons).toEqual(['processed 700/s of 998/s sent']);
  });

  it('judges by the records output, not by consumption counted in whole commits', () => {
    // At-least-once at 336/s, offsets committed every 5 s: 3 commits fell in the window.
    expect(judgeStep({ ...held, rate: 336, sentPerS: 335.8, consumedPerS: 253, recordsPerS: 331, lagGrowthPerS: 7.9 }).passed).toBe(true);
  });

  it('uses the consumption when the SUT has no records output', () => {
    expect(judgeStep({ ...held, consumedPerS: 650, recordsPerS: null }).reasons).toEqual(['processed 650/s of 998/s sent']);
  });

  it('fails on a missed or unmeasured steady SLA', () => {
    const j = judgeStep({ ...held, slas: [{ scope: 'steady', threshold: 'e2e_latency.p99 < 8s', measured: 9120, passed: false }, { scope: 'steady', threshold: 'consumer_lag.max < 2000', measured: null, passed: 'unknown', note: 'no lag samples' }] });
    expect(j.reasons).toEqual(['steady SLA e2e_latency.p99 < 8s missed (measured 9120)', 'steady SLA consumer_lag.max < 2000 not measured: no lag samples']);
  });

  it('blames the harness when the producer could not offer the rate', () => {
    expect(judgeStep({ ...held, sentPerS: 610, consumedPerS: 605 }).reasons).toEqual(['the producer started only 610/s sends of 1000/s asked (the harness, not the SUT, is the limit here)']);
  });

  it('marks a failed step measured on a starved host, so the search runs it once more; a pass stays a pass', () => {
    const j = judgeStep({ ...held, lagGrowthPerS: 180, steal: 0.31 });
    expect(j).toMatchObject({ passed: false, starved: true, reasons: ['lag grew by 180/s (bound 51/s)'] });
    expect(j.notes).toEqual(["measured while the hypervisor took 31% of the host's CPU: the failure may be the host's"]);
    expect(judgeStep({ ...held, steal: 0.31 })).toMatchObject({ passed: true, starved: false, notes: [] });
    expect(judgeStep({ ...held, lagGrowthPerS: 180, steal: 0.14 }).starved).toBe(false);
    expect(judgeStep({ ...held, lagGrowthPerS: 180, steal: null }).starved).toBe(false);
  });

  it('notes, but does not fail, a SUT without lag samples', () => {
    expect(judgeStep({ ...held, lagGrowthPerS: null })).toMatchObject({ passed: true, notes: [expect.stringMatching(/lag growth not judged/)] });
  });
});

describe('slope', () => {
  it('is the least-squares growth per second', () => {
    expect(slope([[0, 100], [1, 150], [2, 210], [3, 250]])).toBeCloseTo(51, 5);
    expect(slope([[0, 0], [1, 400], [2, 0], [3, 400], [4, 0]])).toBeCloseTo(0, 5);
    expect(slope([[0, 1], [1, 2]])).toBeNull();
  });
});

/** Lag samples (t in s from the window start, lag) as recorded in two steps on this machine. */
const parse = (text: string) => text.split(' ').map((p) => p.split(':').map(Number) as [number, number]);
// At-least-once at 336/s: offsets committed every 5 s, a steady sawtooth ending on a peak.
const aloSawtooth = parse('0.2:372 1.2:713 2.2:1057 3.2:1386 4.2:1739 5.3:443 6.2:784 7.2:1117 8.3:1440 9.3:1795 10.4:327 11.4:666 12.4:1011 13.4:1363 14.6:1686 15.6:365 16.4:728 17.5:1072 18.6:1381 19.6:1753');
// Exactly-once at 617/s on a busy machine: a backlog building up.
const eosGrowing = parse('0.2:1159 1.2:1053 2.4:1249 3.2:1661 4.1:2046 5.2:2102 6.3:2029 7.5:1745 8.2:2463 9.3:2286 10.3:2183 11.3:2248 12.2:2325 13.2:2599 14.2:2846 15.5:2086 16.5:2364 17.5:1467 18.4:1752 19.4:2032');

describe('lagGrowth', () => {
  it('does not take a sawtooth of periodic commits for growth (its slope alone would be +18/s, over the 5% bound)', () => {
    expect(slope(aloSawtooth)!).toBeGreaterThan(17.8);
    expect(lagGrowth(aloSawtooth)!).toBeLessThan(0);
  });

  it('sees a backlog building up', () => {
    expect(lagGrowth(eosGrowing)!).toBeCloseTo(32.3, 1);
  });

  it('a lag growing steadily grows by its slope', () => {
    expect(lagGrowth(Array.from({ length: 21 }, (_, t) => [t, 100 + 80 * t] as const))).toBeCloseTo(80, 5);
  });
});
