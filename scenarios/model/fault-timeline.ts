import { HarnessError } from '../../harness/errors.ts';
import { readArray, readObject, type Path } from '../../harness/validation.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { faultTiming, parseFaultAttributes } from './fault-kinds.ts';
import { PHASE_NAMES, phaseAt, runDurationOf, type Phase } from './phases.ts';
import type { ScheduledFault } from './scheduled-fault.ts';

const ANCHORED = /^phase:([a-z-]+)(?:\+(.+))?$/;

/**
 * When a fault starts: a duration from the start of the run (`'20s'`, `20000`), or from the
 * start of a phase (`'phase:fault'`, `'phase:fault+5s'`).
 */
export function parseOffset(value: unknown, path: Path, phases: readonly Phase[]): number {
  const match = typeof value === 'string' ? ANCHORED.exec(value.trim()) : null;
  if (!match) {
    if (typeof value === 'string' && value.trim().startsWith('phase:')) {
      throw new HarnessError('CONFIG_INVALID', `${path}: expected 'phase:<name>' or 'phase:<name>+<duration>', got ${JSON.stringify(value)}`);
    }
    return parseDuration(value, path, { allowZero: true });
  }
  const [, name, plus] = match as unknown as [string, string, string | undefined];
  const phase = phases.find((p) => p.name === name);
  if (!phase) {
    const known = phases.map((p) => p.name).join(', ');
    const why = (PHASE_NAMES as readonly string[]).includes(name) ? `a phase of this scenario (${known})` : `a phase name (${PHASE_NAMES.join(', ')})`;
    throw new HarnessError('CONFIG_INVALID', `${path}: expected ${why} after 'phase:', got ${JSON.stringify(value)}`);
  }
  if (plus === undefined) return phase.startMs;
  try {
    return phase.startMs + parseDuration(plus, path, { allowZero: true });
  } catch {
    throw new HarnessError('CONFIG_INVALID', `${path}: expected 'phase:${name}+<duration>' with a duration like '5s' or '800ms', got ${JSON.stringify(value)}`);
  }
}

/** Rejects a numeric broker id that the scenario's cluster does not have (ids are 1..brokers). */
export function checkBrokerId(attrs: unknown, path: Path, brokers: number): void {
  const broker = (attrs as { broker?: unknown } | undefined)?.broker;
  if (typeof broker === 'number' && Number.isInteger(broker) && (broker < 1 || broker > brokers)) {
    throw new HarnessError('CONFIG_INVALID', `${path}.broker: expected a broker id from 1 to ${brokers} (brokers: ${brokers}), got ${broker}`);
  }
}

/** Reads the hand-written fault time line; faults come back ordered by start (ties keep their order). */
export function parseFaultTimeline(value: unknown, path: Path, phases: readonly Phase[], brokers: number): ScheduledFault[] {
  const runMs = runDurationOf(phases);
  const faults = readArray(value, path).map((item, i): ScheduledFault => {
    const p = `${path}[${i}]`;
    const raw = readObject(item, p, ['at', 'type', 'duration', 'attrs']);
    const type = String(raw.type);
    // Attributes are an object when given: `null` is not "none" (a fault type's parser would default it).
    if (raw.attrs !== undefined) readObject(raw.attrs, `${p}.attrs`, Object.keys(raw.attrs ?? {}));
    const parsed = parseFaultAttributes(raw.type as string, raw.attrs, `${p}.type`, `${p}.attrs`);
    checkBrokerId(raw.attrs, `${p}.attrs`, brokers);
    const startMs = parseOffset(raw.at, `${p}.at`, phases);
    if (startMs >= runMs) {
      throw new HarnessError('CONFIG_INVALID', `${p}.at: expected a time before the end of the run (${formatDuration(runMs)}), got ${JSON.stringify(raw.at)} (${formatDuration(startMs)})`);
    }
    const timing = faultTiming(type);
    let durationMs: number | undefined;
    if (raw.duration !== undefined) {
      if (timing === 'instant') throw new HarnessError('CONFIG_INVALID', `${p}.duration: expected no duration: '${type}' is instantaneous (nothing to heal)`);
      durationMs = parseDuration(raw.duration, `${p}.duration`);
    } else if (timing === 'lasting') {
      // Healed when the phase it starts in ends.
      durationMs = phaseAt(phases, startMs)!.endMs - startMs;
    }
    const endMs = startMs + (durationMs ?? 0);
    if (endMs > runMs) {
      throw new HarnessError(
        'CONFIG_INVALID',
        `${p}.duration: expected the fault to end by the end of the run (${formatDuration(runMs)}), but it starts at ${formatDuration(startMs)} and lasts ${formatDuration(durationMs ?? 0)}`,
      );
    }
    return {
      type,
      origin: p,
      at: raw.at as string | number,
      startMs,
      durationMs,
      endMs,
      timing,
      attrs: (raw.attrs ?? {}) as Record<string, unknown>,
      parsed,
    };
  });
  return faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.startMs - b.f.startMs || a.i - b.i).map(({ f }) => f);
}
