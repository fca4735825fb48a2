import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../scenarios/model/thresholds.ts';
import { notCalibrated, proposeBound } from './proposed-bound.ts';

const propose = (text: string, samples: number[], margin = 0.5) => proposeBound(parseThreshold(text), samples, margin);

describe('proposeBound', () => {
  it('puts an upper bound at the worst sample plus the margin, rounded up to two digits', () => {
    expect(propose('e2e_latency.p99 < 8s', [2_100, 4_090, 3_300])).toEqual({ threshold: 'e2e_latency.p99 < 6.2s' });
    expect(propose('e2e_latency.p99 < 8s', [410, 480])).toEqual({ threshold: 'e2e_latency.p99 < 720ms' });
    expect(propose('drain_time < 15s', [609.8])).toEqual({ threshold: 'drain_time < 920ms' });
    expect(propose('consumer_lag.max < 100', [41, 49])).toEqual({ threshold: 'consumer_lag.max < 74' });
  });

  it('puts a lower bound at the worst sample divided by the margin, rounded down', () => {
    expect(propose('throughput > 15/s', [27.6, 31])).toEqual({ threshold: 'throughput > 18/s' });
    expect(propose('throughput(records) >= 50/s', [99.4], 1)).toEqual({ threshold: 'throughput(records) >= 49/s' });
  });

  it('keeps a strict upper bound above a worst sample of 0, and gives up on a lower bound a run did not clear', () => {
    expect(propose('consumer_lag.last < 10', [0, 0])).toEqual({ threshold: 'consumer_lag.last < 1' });
    expect(propose('consumer_lag.last <= 10', [0])).toEqual({ threshold: 'consumer_lag.last <= 0' });
    expect(propose('throughput > 15/s', [0, 30])).toMatchObject({ threshold: null, why: expect.stringMatching(/measured 0/) });
    expect(propose('throughput > 15/s', [])).toMatchObject({ threshold: null, why: 'no run measured it' });
  });

  it('every proposal holds for every sample it came from', () => {
    for (const samples of [[1, 2, 3], [999, 1000], [59_999], [0.3, 0.7], [123_456]]) {
      const t = parseThreshold(propose('e2e_latency.p99 < 1s', samples).threshold!);
      expect(samples.every((s) => s < t.value), `${t.source} over ${samples.join(',')}`).toBe(true);
    }
  });

  it('never calibrates correctness bounds or equalities', () => {
    expect(notCalibrated(parseThreshold('lost == 0'))).toMatch(/correctness/);
    expect(notCalibrated(parseThreshold('duplicates <= 0'))).toMatch(/correctness/);
    expect(notCalibrated(parseThreshold('sut.dropped_total.max <= 0'))).toMatch(/correctness/);
    expect(notCalibrated(parseThreshold('consumer_lag.max == 0'))).toMatch(/'==' bounds/);
    expect(notCalibrated(parseThreshold('e2e_latency.p99 < 8s'))).toBeUndefined();
  });
});
