import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { checkExploreMix, defaultExploreMix, exploreMixOf } from './explore-mix.ts';

const phases = [
  { name: 'warm-up' as const, duration: '4s' },
  { name: 'fault' as const, duration: '16s' },
  { name: 'drain' as const, duration: '4s' },
];

describe('exploreMixOf', () => {
  it('takes the default mix over the fault phase, with a target per broker and instance', () => {
    const mix = exploreMixOf(defineScenario({ name: 'a', description: 'a', brokers: 3, sut: { instances: 2 }, phases, workload: { domain: 'orders', rate: 10 }, checkers: ['lost'] }));
    expect(mix.window).toEqual({ startMs: 4000, endMs: 20_000 });
    expect(mix.types[0]).toEqual({ type: 'sut.crash', weight: 1, targets: [{ instance: 0 }, { instance: 1 }] });
    expect(mix.types.find((t) => t.type === 'broker.pause')?.targets).toEqual([{ broker: 1 }, { broker: 2 }, { broker: 3 }]);
    expect(mix).toMatchObject({ maxFaults: 3, minDurationMs: 1000, maxDurationMs: 5000, stepMs: 1000, overlap: false });
  });

  it("takes a scenario's own faultMix: count as the most faults, its durations, window and attributes", () => {
    const scenario = defineScenario({
      name: 'b', description: 'b', phases, workload: { domain: 'orders', rate: 10 }, checkers: ['lost'],
      faultMix: { count: 2, types: { 'sut.crash': 3, 'net.latency': 1 }, attrs: { 'net.latency': { latency: 100 } }, minDuration: '500ms', maxDuration: '2s', overlap: true },
    });
    expect(exploreMixOf(scenario)).toEqual({
      types: [
        { type: 'sut.crash', weight: 3, targets: [{}] },
        { type: 'net.latency', weight: 1, targets: [{ latency: 100 }] },
      ],
      maxFaults: 2, minDurationMs: 500, maxDurationMs: 2000, stepMs: 100, overlap: true, window: { startMs: 4000, endMs: 20_000 },
    });
  });
});

describe('checkExploreMix', () => {
  const base = defaultExploreMix(defineScenario({ name: 'c', description: 'c', phases, workload: { domain: 'orders', rate: 10 }, checkers: ['lost'] }));
  it('rejects instant types, unknown types, bad targets and durations that do not fit', () => {
    expect(() => checkExploreMix({ ...base, types: [{ type: 'sut.restart', weight: 1, targets: [{ instance: 0 }] }] })).toThrow(/instantaneous/);
    expect(() => checkExploreMix({ ...base, types: [{ type: 'broker.explode', weight: 1, targets: [{}] }] })).toThrow(/unknown fault type 'broker.explode'/);
    expect(() => checkExploreMix({ ...base, types: [{ type: 'sut.crash', weight: 1, targets: [{ instanse: 0 }] }] })).toThrow(/targets\[0\]/);
    expect(() => checkExploreMix({ ...base, maxDurationMs: 30_000 })).toThrow(/window/);
    expect(() => checkExploreMix({ ...base, minDurationMs: 1500 })).toThrow(/multiple of stepMs/);
    expect(checkExploreMix(base)).toBe(base);
  });
});
