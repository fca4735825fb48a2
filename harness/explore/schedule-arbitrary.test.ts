import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testBase } from './testing/test-base.ts';
import { defaultExploreMix, type ExploreMix } from './explore-mix.ts';
import { drawnFaultsArbitrary, layOut, scheduleArbitrary } from './schedule-arbitrary.ts';
import { scheduledScenario } from './scheduled-scenario.ts';

const base = testBase;
const mixes: ExploreMix[] = [defaultExploreMix(base), { ...defaultExploreMix(base), overlap: true, maxFaults: 5 }];

describe('scheduleArbitrary', () => {
  it.each(mixes.map((m) => [m.overlap ? 'overlapping' : 'not overlapping', m] as const))('%s: faults inside the window, on the grid, 1..maxFaults, each one a valid scenario', (_, mix) => {
    fc.assert(
      fc.property(scheduleArbitrary(mix), (schedule) => {
        expect(schedule.length).toBeGreaterThanOrEqual(1);
        expect(schedule.length).toBeLessThanOrEqual(mix.maxFaults);
        for (const f of schedule) {
          expect(f.atMs).toBeGreaterThanOrEqual(mix.window.startMs);
          expect(f.atMs + f.durationMs).toBeLessThanOrEqual(mix.window.endMs);
          expect(f.durationMs).toBeGreaterThanOrEqual(mix.minDurationMs);
          expect(f.durationMs).toBeLessThanOrEqual(mix.maxDurationMs);
          expect(f.atMs % mix.stepMs).toBe(0);
        }
        if (!mix.overlap) schedule.slice(1).forEach((f, i) => expect(f.atMs).toBeGreaterThanOrEqual(schedule[i]!.atMs + schedule[i]!.durationMs));
        const scenario = scheduledScenario(base, schedule, { name: 'x', description: 'x', seed: 1 });
        expect(scenario.faults.map((f) => [f.type, f.startMs, f.durationMs])).toEqual(schedule.map((f) => [f.type, f.atMs, f.durationMs]));
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('lays the simplest drawn fault at the end of the window, on the first type and target', () => {
    const mix = mixes[0]!;
    expect(layOut(mix, [{ kind: 0, target: 0, durationSteps: 1, gapSteps: 0 }])).toEqual([{ type: 'sut.crash', atMs: 19_000, durationMs: 1000, attrs: { instance: 0 } }]);
  });

  it('lays non-overlapping faults backwards from the end and leaves out what no longer fits', () => {
    const mix = mixes[0]!;
    const five = { kind: 2, target: 1, durationSteps: 5, gapSteps: 0 };
    const schedule = layOut(mix, [five, five, five, five]);
    expect(schedule.map((f) => [f.atMs, f.durationMs, f.attrs])).toEqual([
      [5000, 5000, { broker: 2 }],
      [10_000, 5000, { broker: 2 }],
      [15_000, 5000, { broker: 2 }],
    ]);
  });

  it('shrinks toward fewer faults, the first type, the first target, shorter and later', () => {
    const mix = mixes[0]!;
    // A property every schedule falsifies: fast-check shrinks whatever it drew to the simplest.
    for (const seed of [1, 2, 3]) {
      const details = fc.check(fc.property(drawnFaultsArbitrary(mix), () => false), { seed });
      expect(details.counterexample?.[0]).toEqual([{ kind: 0, target: 0, durationSteps: 1, gapSteps: 0 }]);
    }
  });
});
