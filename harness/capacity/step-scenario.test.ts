import { describe, expect, it } from 'vitest';
import steadyBaseline from '../../scenarios/01-steady-baseline.ts';
import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { baseRate, stepScenario, unsuitableBase } from './step-scenario.ts';

const timing = { warmUpMs: 10_000, measureMs: 20_000, drainMs: 5_000 };

describe('stepScenario', () => {
  it('runs the base workload at the step rate, without faults, with a measured steady window', () => {
    const s = stepScenario(steadyBaseline, 1600, timing);
    expect(s.name).toBe('steady-baseline-at-1600');
    expect(s.workload.rate).toEqual({ kind: 'constant', rate: 1600 });
    expect(s.workload.knobs).toEqual(steadyBaseline.workload.knobs);
    expect(s.phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([['warm-up', 0, 10_000], ['steady', 10_000, 30_000], ['drain', 30_000, 35_000]]);
    expect(s.sendingMs).toBe(30_000);
    expect(s.faults).toEqual([]);
  });

  it("holds the base's steady SLAs except absolute throughput floors", () => {
    const s = stepScenario(steadyBaseline, 1600, timing);
    expect(s.slas.steady!.map((t) => t.source)).toEqual(['e2e_latency.p50 < 3s', 'e2e_latency.p99 < 8s', 'consumer_lag.max < 2000']);
    expect(Object.keys(s.slas)).toEqual(['steady']);
  });

  it('drops the faults of a fault scenario and starts from its peak rate', () => {
    const base = defineScenario({
      name: 'ramped', description: 'a ramp with a fault', phases: [{ name: 'steady', duration: '10s' }, { name: 'fault', duration: '10s' }],
      workload: { domain: 'orders', rate: [{ duration: '10s', target: 50 }, { duration: '10s', target: 300 }] },
      faults: [{ at: 'phase:fault', type: 'broker.kill', attrs: { broker: 1 } }], checkers: ['lost'],
    });
    expect(baseRate(base)).toBe(300);
    const s = stepScenario(base, 300, timing);
    expect(s.faults).toEqual([]);
    expect(s.slas).toEqual({});
  });

  it('refuses a failover drill as a base', async () => {
    const { default: drill } = await import('../../scenarios/drills/failover.ts');
    expect(unsuitableBase(drill)).toMatch(/failover drill/);
    expect(() => stepScenario(drill, 100, timing)).toThrow(/failover drill/);
  });
});
