import { describe, expect, it } from 'vitest';
import { judgeStep, slope, type StepMeasure } from './step-judgement.ts';

// Figures in the shape a 1000/s step of the reference pipeline gives.
const held: StepMeasure = {
  rate: 1000, sentPerS: 998.4, consumedPerS: 991.2, recordsPerS: 981.7, p50Ms: 420, p99Ms: 1850, lagSlopePerS: 3.2, lagMax: 640,
  slas: [{ scope: 'steady', threshold: 'e2e_latency.p99 < 8s', measured: 1850, passed: true }],
};

describe('judgeStep', () => {
  it('passes a step that kept up and held its SLAs', () => {
    expect(judgeStep(held)).toEqual({ passed: true, reasons: [], notes: [] });
  });

  it('fails on growing lag even when the SLAs still hold', () => {
    const j = judgeStep({ ...held, lagSlopePerS: 180 });
    expect(j.passed).toBe(false);
    expect(j.reasons).toEqual(['lag grew by 180/s (bound 51/s)']);
  });

  it('fails when the SUT processes less than it is sent', () => {
    expect(judgeStep({ ...held, consumedPerS: 700 }).reasons).toEqual(['processed 700/s of 998/s sent']);
  });

  it('uses the records output when no consumption was measured', () => {
    expect(judgeStep({ ...held, consumedPerS: null, recordsPerS: 650 }).reasons).toEqual(['processed 650/s of 998/s sent']);
  });

  it('fails on a missed or unmeasured steady SLA', () => {
    const j = judgeStep({ ...held, slas: [{ scope: 'steady', threshold: 'e2e_latency.p99 < 8s', measured: 9120, passed: false }, { scope: 'steady', threshold: 'consumer_lag.max < 2000', measured: null, passed: 'unknown', note: 'no lag samples' }] });
    expect(j.reasons).toEqual(['steady SLA e2e_latency.p99 < 8s missed (measured 9120)', 'steady SLA consumer_lag.max < 2000 not measured: no lag samples']);
  });

  it('blames the harness when the producer could not offer the rate', () => {
    expect(judgeStep({ ...held, sentPerS: 610, consumedPerS: 605 }).reasons).toEqual(['the producer started only 610/s sends of 1000/s asked (the harness, not the SUT, is the limit here)']);
  });

  it('notes, but does not fail, a SUT without lag samples', () => {
    expect(judgeStep({ ...held, lagSlopePerS: null })).toMatchObject({ passed: true, notes: [expect.stringMatching(/lag growth not judged/)] });
  });
});

describe('slope', () => {
  it('is the least-squares growth per second', () => {
    expect(slope([[0, 100], [1, 150], [2, 210], [3, 250]])).toBeCloseTo(51, 5);
    expect(slope([[0, 0], [1, 400], [2, 0], [3, 400], [4, 0]])).toBeCloseTo(0, 5);
    expect(slope([[0, 1], [1, 2]])).toBeNull();
  });
});
