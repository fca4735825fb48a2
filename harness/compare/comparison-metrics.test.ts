import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { comparisonMetrics, judgeSides } from './comparison-metrics.ts';
import type { SideSamples } from './side-samples.ts';

const random = new Random(11);
const around = (n: number, centre: number, spread: number) => Array.from({ length: n }, () => centre + (random.next() - 0.5) * spread);

function side(latencyShift: number, phase?: { latencyMs: number[]; lag: number[] }): SideSamples {
  return {
    latencyMs: around(400, 100 + latencyShift, 40),
    throughput: around(40, 1, 0.2),
    lag: around(80, 3, 2),
    dlqRate: Array(40).fill(0),
    errorRate: Array(40).fill(0),
    ...(phase ? { byPhase: { fault: phase } } : {}),
  };
}

describe('comparison metrics', () => {
  it('passes two samples of one program and fails a slower one on latency, critical', () => {
    expect(judgeSides(side(0), side(0), { perPartitionRate: 10 }).classification).toBe('pass');
    const slow = judgeSides(side(0), side(25), { perPartitionRate: 10 });
    expect(slow.classification).toBe('fail');
    const latency = slow.metrics.find((m) => m.name === 'e2e_latency_ms')!;
    expect(latency.classification).toBe('fail');
    expect(latency.shift!.estimate).toBeGreaterThan(20);
    expect(latency.shift!.estimate).toBeLessThan(30);
  });

  it('fails a candidate that logs errors most seconds on the error-line rate, not on anything else', () => {
    const noisy = { ...side(0), errorRate: Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0 : 2)) };
    const judged = judgeSides(side(0), noisy, { perPartitionRate: 10 });
    const errors = judged.metrics.find((m) => m.name === 'error_log_rate_per_instance')!;
    expect(errors.group).toBe('errors');
    expect(errors.classification).toBe('fail');
    expect(errors.shift!.estimate).toBe(2);
    expect(judged.metrics.filter((m) => m.classification === 'fail').map((m) => m.name)).toEqual(['error_log_rate_per_instance']);
    expect(judgeSides(side(0), { ...side(0), errorRate: Array(40).fill(0) }, { perPartitionRate: 10 }).metrics.find((m) => m.name === 'error_log_rate_per_instance')!.classification).toBe('pass');
  });

  it('judges the fault phase on its own, so a short outage that leaves the medians alone still fails', () => {
    const calm = { latencyMs: around(60, 100, 40), lag: around(30, 3, 2) };
    const stranded = { latencyMs: [...around(20, 100, 40), ...around(40, 4000, 1000)], lag: [...around(10, 3, 2), ...around(20, 40, 20)] };
    const names = comparisonMetrics(side(0, calm), side(0, stranded), { perPartitionRate: 10 }).map((m) => m.name);
    expect(names).toContain('e2e_latency_ms[fault]');
    expect(names).toContain('consumer_lag_per_partition[fault]');
    const judged = judgeSides(side(0, calm), side(0, stranded), { perPartitionRate: 10 });
    expect(judged.metrics.find((m) => m.name === 'e2e_latency_ms')!.classification).toBe('pass');
    expect(judged.metrics.find((m) => m.name === 'e2e_latency_ms[fault]')!.classification).toBe('fail');
    expect(judged.metrics.find((m) => m.name === 'consumer_lag_per_partition[fault]')!.classification).toBe('fail');
    expect(judged.classification).toBe('fail');
  });
});
