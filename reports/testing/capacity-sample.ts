import type { CapacityResult, CapacityStep } from '../../harness/capacity/capacity-result.ts';
import { judgeStep } from '../../harness/capacity/step-judgement.ts';

/** A step as a search records it, judged by the real judgement from the figures given. */
export function sampleStep(index: number, rate: number, f: { processed: number; p99Ms: number; lagGrowth: number; stage?: CapacityStep['stage'] }): CapacityStep {
  const measure = {
    rate, sentPerS: rate * 0.998, consumedPerS: f.processed * 1.01, recordsPerS: f.processed, p50Ms: f.p99Ms / 2.5, p99Ms: f.p99Ms,
    lagGrowthPerS: f.lagGrowth, lagMax: Math.round(rate / 5 + Math.max(0, f.lagGrowth) * 20),
    slas: [{ scope: 'steady', threshold: 'e2e_latency.p99 < 8s', measured: f.p99Ms, passed: f.p99Ms < 8000 }],
    steal: 0.02,
  };
  return { index, stage: f.stage ?? 'ramp', rate, measure, judgement: judgeStep(measure), verdict: 'pass', lost: 0, duplicates: 0, runDir: `/runs/cap/step-${index}-${rate}`, wallMs: 52_000, load: 6.4 };
}

/** A search that ramped to 3200/s, failed there on lag, and bisected to 1600..1745. */
export function sampleCapacity(dir: string, kneeShift = 1): CapacityResult {
  const steps = [
    sampleStep(1, 400, { processed: 399, p99Ms: 2900, lagGrowth: 0.4 }),
    sampleStep(2, 800, { processed: 797, p99Ms: 3100, lagGrowth: 1.1 }),
    sampleStep(3, 1600 * kneeShift, { processed: 1596 * kneeShift, p99Ms: 4200, lagGrowth: 6 }),
    sampleStep(4, 3200, { processed: 2130, p99Ms: 14_500, lagGrowth: 1050 }),
    sampleStep(5, 2263, { processed: 2090, p99Ms: 9100, lagGrowth: 170, stage: 'bisect' }),
    sampleStep(6, 1903, { processed: 1850, p99Ms: 7400, lagGrowth: 52, stage: 'bisect' }),
    sampleStep(7, 1745, { processed: 1700, p99Ms: 6900, lagGrowth: 95, stage: 'bisect' }),
  ];
  return {
    base: 'steady-baseline', sut: 'reference', seed: 7, eventTimeOriginMs: 1_796_277_779_000,
    search: { startRate: 400, factor: 2, resolution: 0.1, maxRate: 20_000 }, timing: { warmUpMs: 10_000, measureMs: 20_000, drainMs: 5_000 }, budgetMs: 600_000,
    steps, kneeEps: 1600 * kneeShift, firstFailEps: 1745, stop: 'resolved', wallMs: 7 * 52_000, replay: 'streamproof capacity --sut reference --seed 7', dir,
  };
}
