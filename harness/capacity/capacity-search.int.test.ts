import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRunDir } from '../testing/lab.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { defineScenario } from '../../scenarios/index.ts';
import { searchCapacity } from './capacity-search.ts';

// The reference pipeline slowed to 20 ms per record on one instance can process at most
// 1000/20 = 50 events/s (about 28/s measured on this loaded 2-core machine): a search must
// put its knee below that, on a real lab, and say why the rate above it failed.
const base = defineScenario({
  name: 'capacity-probe',
  description: 'Orders at 20/s through one instance; p99 under 8 s in steady.',
  phases: [{ name: 'warm-up', duration: '4s' }, { name: 'steady', duration: '8s' }],
  workload: { domain: 'orders', rate: 20 },
  checkers: ['lost'],
  slas: { steady: ['e2e_latency.p99 < 8s', 'throughput > 15/s'] },
});

describe('searchCapacity', () => {
  it('finds the knee of a pipeline whose capacity is known (at most 50 events/s)', async () => {
    const dir = tempRunDir('capacity-search');
    const result = await searchCapacity({
      base, sut: referenceSut({ delayMs: 20 }), sutLabel: 'reference:delay-ms=20', seed: 5, eventTimeOriginMs: 1_796_000_000_000,
      search: { startRate: 20, factor: 2, resolution: 0.5, maxRate: 640 }, timing: { warmUpMs: 4_000, measureMs: 8_000, drainMs: 3_000 },
      budgetMs: 330_000, dir, replay: 'streamproof capacity (test)', replayArgs: [],
    });
    expect(result.steps.map((s) => s.rate).slice(0, 2)).toEqual([20, 40]);
    expect(result.stop).toBe('resolved');
    // The knee held twice.
    expect(result.steps.filter((s) => s.rate === result.kneeEps && s.judgement.passed).length).toBe(2);
    expect(result.kneeEps).toBeGreaterThanOrEqual(20);
    expect(result.kneeEps).toBeLessThan(50);
    const above = result.steps.find((s) => s.rate === result.firstFailEps && !s.judgement.passed)!;
    // Overloaded, it falls behind: it processes less than it is sent and its lag grows. How fast
    // depends on how far above the knee the first failing rate landed (a bisection step can sit
    // a few events/s above capacity), so only the sign is held.
    expect(above.judgement.reasons.join('; ')).toMatch(/processed .* sent|lag grew/);
    expect(above.measure.lagGrowthPerS!).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'capacity.json'))).toBe(true);
  }, 420_000);
});
