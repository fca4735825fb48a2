import fc from 'fast-check';
import type { ExploreMix } from './explore-mix.ts';
import type { FaultSchedule, PlannedFault } from './fault-schedule.ts';

/**
 * A fault as drawn, before it is laid out in the window. Every field shrinks toward the
 * simpler schedule: `kind` toward the first type of the mix, `target` toward its first
 * target, `durationSteps` toward the shortest fault, `gapSteps` toward 0, which is the
 * *latest* start (faults are laid out backwards from the end of the window).
 */
export interface DrawnFault {
  kind: number;
  target: number;
  durationSteps: number;
  gapSteps: number;
}

/**
 * Lays drawn faults out in the mix's window. Overlapping: each ends `gap` before the end of
 * the window. Not overlapping: the first ends `gap` before the end, each next one `gap`
 * before the previous one starts; a fault that does not fit any more is left out, so the
 * schedule shows only what runs. The result is ordered by start.
 */
export function layOut(mix: ExploreMix, drawn: readonly DrawnFault[]): FaultSchedule {
  const { startMs, endMs } = mix.window;
  const planned: PlannedFault[] = [];
  let cursor = endMs;
  for (const d of drawn) {
    const type = mix.types[d.kind % mix.types.length]!;
    const durationMs = Math.min(d.durationSteps * mix.stepMs, endMs - startMs);
    const gapMs = d.gapSteps * mix.stepMs;
    const end = (mix.overlap ? endMs : cursor) - gapMs;
    // The first fault always fits (a schedule is never empty); later ones may not.
    const at = mix.overlap || planned.length === 0 ? Math.max(startMs, end - durationMs) : end - durationMs;
    if (at < startMs) continue;
    if (!mix.overlap) cursor = at;
    planned.push({ type: type.type, atMs: at, durationMs, attrs: structuredClone(type.targets[d.target % type.targets.length]!) });
  }
  return planned.sort((a, b) => a.atMs - b.atMs || a.type.localeCompare(b.type));
}

/** The drawn faults of a schedule (what fast-check generates and shrinks). */
export function drawnFaultsArbitrary(mix: ExploreMix): fc.Arbitrary<DrawnFault[]> {
  const windowSteps = Math.floor((mix.window.endMs - mix.window.startMs) / mix.stepMs);
  // Not overlapping, gaps share the window with the other faults: keep each one small enough
  // that most drawn faults still fit.
  const maxGap = mix.overlap ? windowSteps : Math.max(0, Math.floor(windowSteps / mix.maxFaults) - mix.minDurationMs / mix.stepMs);
  const maxTargets = Math.max(...mix.types.map((t) => t.targets.length));
  const fault = fc.record({
    kind: fc.oneof({ withCrossShrink: true }, ...mix.types.map((t, i) => ({ arbitrary: fc.constant(i), weight: t.weight }))),
    target: fc.integer({ min: 0, max: maxTargets - 1 }),
    durationSteps: fc.integer({ min: mix.minDurationMs / mix.stepMs, max: mix.maxDurationMs / mix.stepMs }),
    gapSteps: fc.integer({ min: 0, max: maxGap }),
  });
  return fc.array(fault, { minLength: 1, maxLength: mix.maxFaults });
}

/** Fault schedules drawn from a mix: 1..maxFaults faults, each lasting and starting on the mix's grid. */
export function scheduleArbitrary(mix: ExploreMix): fc.Arbitrary<FaultSchedule> {
  return drawnFaultsArbitrary(mix).map((drawn) => layOut(mix, drawn));
}
