import { describe, expect, it } from 'vitest';
import { judgeMetric, type MetricSamples } from './metric-judgement.ts';
import { latencyLike } from './testing/samples.ts';

const settings = { confidence: 0.98, minSamples: 20 };
const latency = (baseline: number[], candidate: number[], extra: Partial<MetricSamples> = {}): MetricSamples => ({
  name: 'e2e_latency_ms',
  group: 'latency',
  direction: 'higher-is-worse',
  baseline,
  candidate,
  ...extra,
});

describe('judgeMetric', () => {
  it('passes two samples of the same distribution', () => {
    const result = judgeMetric(latency(latencyLike(1, 500, 100), latencyLike(2, 500, 100)), settings);
    expect(result.classification).toBe('pass');
    expect(result.pValue).toBeGreaterThan(0.02);
    expect(Math.abs(result.effect as number)).toBeLessThan(0.1);
    expect(result.reason).toMatch(/n = 500 baseline \/ 500 candidate/);
  });

  it('fails a candidate 30% slower: significant and beyond the 10% threshold', () => {
    const result = judgeMetric(latency(latencyLike(1, 500, 100), latencyLike(2, 500, 130)), settings);
    expect(result.classification).toBe('fail');
    expect(result.pValue).toBeLessThan(0.02);
    expect(result.effect).toBeGreaterThan(0.2);
    expect(result.shift?.low).toBeGreaterThan(0);
    expect(result.shift?.confidence).toBe(0.98);
    expect(result.test?.method).toBe('normal');
  });

  it('calls a small but significant worsening marginal (large samples)', () => {
    const result = judgeMetric(latency(latencyLike(1, 20_000, 100), latencyLike(2, 20_000, 104)), settings);
    expect(result.pValue).toBeLessThan(0.02);
    expect(result.effect).toBeGreaterThan(0);
    expect(result.effect).toBeLessThan(0.1);
    expect(result.classification).toBe('marginal');
    expect(result.reason).toMatch(/significantly worse, but within the threshold/);
  });

  it('calls a large but not significant worsening marginal (small noisy samples)', () => {
    const result = judgeMetric(latency(latencyLike(3, 25, 100), latencyLike(4, 25, 112)), settings);
    expect(result.pValue).toBeGreaterThan(0.02);
    expect(result.effect).toBeGreaterThan(0.1);
    expect(result.classification).toBe('marginal');
  });

  it('reads direction: lower throughput fails, higher throughput passes', () => {
    const throughput = (candidateScale: number): MetricSamples => ({
      name: 'throughput',
      group: 'throughput',
      direction: 'lower-is-worse',
      baseline: latencyLike(5, 300, 1000),
      candidate: latencyLike(6, 300, candidateScale),
    });
    const slower = judgeMetric(throughput(750), settings);
    expect(slower.classification).toBe('fail');
    expect(slower.effect).toBeGreaterThan(0.1);
    const faster = judgeMetric(throughput(1300), settings);
    expect(faster.classification).toBe('pass');
    expect(faster.effect).toBeLessThan(-0.1);
  });

  it('ignores shifts below the absolute floor', () => {
    const result = judgeMetric(latency(latencyLike(1, 500, 1), latencyLike(2, 500, 1.3), { minAbsoluteEffect: 5 }), settings);
    expect(result.effect).toBeGreaterThan(0.1);
    expect(result.classification).toBe('marginal'); // still significantly worse, but too small to matter
  });

  it('says unknown with too little data and names the sample sizes', () => {
    const result = judgeMetric(latency(latencyLike(1, 19, 100), latencyLike(2, 500, 300)), settings);
    expect(result).toMatchObject({ classification: 'unknown', pValue: null, shift: null, effect: null });
    expect(result.reason).toBe('too little data: n = 19 baseline / 500 candidate (at least 20 per side needed)');
    expect(result.baseline.n).toBe(19);
  });

  it('judges a zero-median error count by significance and the absolute shift', () => {
    const baseline = Array.from({ length: 200 }, () => 0);
    const candidate = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const result = judgeMetric({ name: 'errors', group: 'errors', direction: 'higher-is-worse', baseline, candidate }, settings);
    expect(result.effect).toBeNull();
    expect(result.pValue).toBeLessThan(0.02);
    expect(result.shift?.estimate).toBe(0); // most differences are 0: the median shift is 0
    expect(result.classification).toBe('marginal');
  });

  it('rejects a bad definition', () => {
    expect(() => judgeMetric(latency([1], [1], { weight: 0 }), settings)).toThrow(/weight must be a number > 0/);
    expect(() => judgeMetric(latency([1], [1], { direction: 'up' as never }), settings)).toThrow(/direction/);
  });
});
