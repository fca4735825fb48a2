import { HarnessError } from '../../harness/errors.ts';
import { readArray, readEnum, readObject, type Path } from '../../harness/validation.ts';
import { parseDuration } from './duration.ts';

/** Phases, in the only order they may appear; each at most once. */
export const PHASE_NAMES = ['warm-up', 'steady', 'fault', 'recovery', 'drain'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export interface Phase {
  name: PhaseName;
  durationMs: number;
  /** Offset of the phase from the start of the run. */
  startMs: number;
  endMs: number;
}

/** Reads the ordered phase list and lays it out on the run's time line. */
export function parsePhases(value: unknown, path: Path): Phase[] {
  const list = readArray(value, path);
  if (list.length === 0) throw new HarnessError('CONFIG_INVALID', `${path}: expected at least one phase`);
  const phases: Phase[] = [];
  let at = 0;
  list.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const raw = readObject(item, p, ['name', 'duration']);
    const name = readEnum(raw.name, `${p}.name`, PHASE_NAMES);
    const previous = phases.at(-1);
    if (previous && PHASE_NAMES.indexOf(name) <= PHASE_NAMES.indexOf(previous.name)) {
      throw new HarnessError(
        'CONFIG_INVALID',
        `${p}.name: expected a phase after '${previous.name}' (phases appear at most once, in the order ${PHASE_NAMES.join(', ')}), got "${name}"`,
      );
    }
    const durationMs = parseDuration(raw.duration, `${p}.duration`);
    phases.push({ name, durationMs, startMs: at, endMs: at + durationMs });
    at += durationMs;
  });
  return phases;
}

export function runDurationOf(phases: readonly Phase[]): number {
  return phases.at(-1)?.endMs ?? 0;
}

/** The phase running at `ms` (the last one for the very end of the run). */
export function phaseAt(phases: readonly Phase[], ms: number): Phase | undefined {
  return phases.find((p) => ms >= p.startMs && ms < p.endMs) ?? (ms === runDurationOf(phases) ? phases.at(-1) : undefined);
}
