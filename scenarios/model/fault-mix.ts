import { HarnessError } from '../../harness/errors.ts';
import { Random } from '../../harness/random.ts';
import { readBoolean, readEnum, readNumber, readObject, type Path } from '../../harness/validation.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { checkFaultType, faultTiming, parseFaultAttributes } from './fault-kinds.ts';
import { checkBrokerId } from './fault-timeline.ts';
import { PHASE_NAMES, runDurationOf, type Phase, type PhaseName } from './phases.ts';
import type { ScheduledFault } from './scheduled-fault.ts';

/**
 * A random fault schedule described by its shape: `count` faults whose types are drawn by
 * weight, each lasting between `minDurationMs` and `maxDurationMs`, overlapping or not,
 * inside a window of the run. `expandFaultMix` turns it into a time line from a seed.
 */
export interface FaultMix {
  count: number;
  /** Fault type → relative weight (> 0). */
  types: Record<string, number>;
  /** Attributes per fault type (default `{}`: e.g. `broker: 'random'`). */
  attrs?: Record<string, Record<string, unknown>>;
  minDurationMs: number;
  maxDurationMs: number;
  /** May two faults be active at once? */
  overlap: boolean;
  /** Where faults may fall, as offsets from the run start; default the whole run. */
  window?: { startMs: number; endMs: number };
}

const MAX_COUNT = 1000;
/** Weights are relative; a bound keeps their sum finite. */
const MAX_WEIGHT = 1_000_000;

function mixError(path: Path, message: string): HarnessError {
  return new HarnessError('CONFIG_INVALID', `${path}: ${message}`);
}

/** Checks what no seed can fix: the durations fit the window, and back to back when they may not overlap. */
function checkFits(mix: FaultMix, windowMs: number, path: Path): void {
  const names = Object.keys(mix.types);
  if (names.length === 0) throw mixError(`${path}.types`, 'expected at least one fault type with a weight');
  for (const name of names) {
    checkFaultType(name, `${path}.types.${name}`);
    const weight = mix.types[name];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) throw mixError(`${path}.types.${name}`, `expected a weight above 0, got ${JSON.stringify(weight)}`);
  }
  for (const name of Object.keys(mix.attrs ?? {})) {
    if (!names.includes(name)) throw mixError(`${path}.attrs.${name}`, `expected attributes of a type listed in types (${names.join(', ')})`);
  }
  if (!Number.isInteger(mix.count) || mix.count < 1 || mix.count > MAX_COUNT) throw mixError(`${path}.count`, `expected a whole number from 1 to ${MAX_COUNT}, got ${mix.count}`);
  if (!(mix.minDurationMs > 0) || !Number.isInteger(mix.minDurationMs)) throw mixError(`${path}.minDuration`, `expected a duration above 0, got ${mix.minDurationMs} ms`);
  if (!(mix.maxDurationMs >= mix.minDurationMs) || !Number.isInteger(mix.maxDurationMs)) {
    throw mixError(`${path}.maxDuration`, `expected at least minDuration (${formatDuration(mix.minDurationMs)}), got ${mix.maxDurationMs} ms`);
  }
  if (mix.maxDurationMs > windowMs) throw mixError(`${path}.maxDuration`, `expected at most the window (${formatDuration(windowMs)}), got ${formatDuration(mix.maxDurationMs)}`);
  if (!mix.overlap && mix.count * mix.minDurationMs > windowMs) {
    throw mixError(path, `expected ${mix.count} non-overlapping faults of at least ${formatDuration(mix.minDurationMs)} to fit in ${formatDuration(windowMs)}; lower count or minDuration, or set overlap: true`);
  }
}

/** Parses attributes of every type once (strict; unknown types fail with FAULT_UNKNOWN). */
function parseTypes(mix: FaultMix, path: Path, brokers?: number): Map<string, unknown> {
  const parsed = new Map<string, unknown>();
  for (const name of Object.keys(mix.types).sort()) {
    if (faultTiming(name) === 'instant') {
      throw mixError(`${path}.types.${name}`, `expected a fault that lasts: '${name}' is instantaneous, so schedule it by hand in 'faults'`);
    }
    const attrsPath = mix.attrs?.[name] === undefined ? `${path}.types.${name}` : `${path}.attrs.${name}`;
    parsed.set(name, parseFaultAttributes(name, mix.attrs?.[name], `${path}.types.${name}`, attrsPath));
    if (brokers !== undefined) checkBrokerId(mix.attrs?.[name], attrsPath, brokers);
  }
  return parsed;
}

/**
 * Expands a mix into a time line. Deterministic: the same mix, seed and run length give the
 * same schedule (randomness comes only from `new Random(seed).fork('fault-mix')`); every fault
 * starts and ends inside the window and the run; without `overlap`, no two faults are active
 * at once (one may start the millisecond the previous one heals).
 */
export function expandFaultMix(mix: FaultMix, seed: number, runDurationMs: number, path: Path = 'faultMix'): ScheduledFault[] {
  const from = Math.max(0, mix.window?.startMs ?? 0);
  const to = Math.min(runDurationMs, mix.window?.endMs ?? runDurationMs);
  const windowMs = to - from;
  if (!(windowMs > 0)) throw mixError(path, `expected a window inside the run (${formatDuration(runDurationMs)}), got ${from}..${to} ms`);
  checkFits(mix, windowMs, path);
  const parsed = parseTypes(mix, path);

  const rng = new Random(seed).fork('fault-mix');
  const names = [...parsed.keys()];
  const total = names.reduce((sum, n) => sum + mix.types[n]!, 0);
  const pickType = (): string => {
    let r = rng.next() * total;
    for (const name of names) {
      r -= mix.types[name]!;
      if (r < 0) return name;
    }
    return names.at(-1)!;
  };
  const draws = Array.from({ length: mix.count }, () => ({ type: pickType(), durationMs: rng.int(mix.minDurationMs, mix.maxDurationMs), startMs: 0 }));

  if (mix.overlap) {
    for (const d of draws) d.startMs = from + rng.int(0, windowMs - d.durationMs);
    draws.sort((a, b) => a.startMs - b.startMs);
  } else {
    // Back to back in drawn order, shrunk toward minDuration if they do not fit, with the
    // slack spread as random gaps between them.
    const sum = draws.reduce((s, d) => s + d.durationMs, 0);
    if (sum > windowMs) {
      const extra = sum - mix.count * mix.minDurationMs;
      const room = windowMs - mix.count * mix.minDurationMs;
      for (const d of draws) d.durationMs = mix.minDurationMs + Math.floor(((d.durationMs - mix.minDurationMs) * room) / extra);
    }
    const slack = windowMs - draws.reduce((s, d) => s + d.durationMs, 0);
    const gaps = draws.map(() => rng.int(0, slack)).sort((a, b) => a - b);
    let used = 0;
    draws.forEach((d, i) => {
      d.startMs = from + gaps[i]! + used;
      used += d.durationMs;
    });
  }

  return draws.map((d, i) => ({
    type: d.type,
    origin: `${path}#${i}`,
    at: d.startMs,
    startMs: d.startMs,
    durationMs: d.durationMs,
    endMs: d.startMs + d.durationMs,
    timing: faultTiming(d.type),
    attrs: mix.attrs?.[d.type] ?? {},
    parsed: parsed.get(d.type),
  }));
}

/** Reads a `faultMix` block strictly and checks it can be expanded whatever the seed. */
export function parseFaultMix(value: unknown, path: Path, phases: readonly Phase[], brokers: number): FaultMix & { phase: PhaseName | 'run' } {
  const raw = readObject(value, path, ['count', 'types', 'attrs', 'minDuration', 'maxDuration', 'overlap', 'phase']);
  const typesRaw = readObject(raw.types, `${path}.types`, Object.keys((raw.types ?? {}) as object));
  const types: Record<string, number> = {};
  for (const [name, weight] of Object.entries(typesRaw)) {
    if (readNumber(weight, `${path}.types.${name}`, { max: MAX_WEIGHT }) <= 0) throw mixError(`${path}.types.${name}`, `expected a weight above 0, got ${weight}`);
    types[name] = weight as number;
  }
  let attrs: Record<string, Record<string, unknown>> | undefined;
  if (raw.attrs !== undefined) {
    attrs = {};
    const attrsRaw = readObject(raw.attrs, `${path}.attrs`, Object.keys(types));
    for (const [name, a] of Object.entries(attrsRaw)) attrs[name] = readObject(a, `${path}.attrs.${name}`, Object.keys((a ?? {}) as object));
  }
  const hasFault = phases.some((p) => p.name === 'fault');
  const phase = raw.phase === undefined ? (hasFault ? 'fault' : 'run') : readEnum(raw.phase, `${path}.phase`, ['run', ...PHASE_NAMES] as const);
  const runMs = runDurationOf(phases);
  let window = { startMs: 0, endMs: runMs };
  if (phase !== 'run') {
    const p = phases.find((x) => x.name === phase);
    if (!p) throw mixError(`${path}.phase`, `expected a phase of this scenario (${phases.map((x) => x.name).join(', ')}) or 'run', got "${phase}"`);
    window = { startMs: p.startMs, endMs: p.endMs };
  }
  const mix: FaultMix & { phase: PhaseName | 'run' } = {
    count: readNumber(raw.count, `${path}.count`, { integer: true, min: 1, max: MAX_COUNT }),
    types,
    ...(attrs === undefined ? {} : { attrs }),
    minDurationMs: parseDuration(raw.minDuration, `${path}.minDuration`),
    maxDurationMs: parseDuration(raw.maxDuration, `${path}.maxDuration`),
    overlap: raw.overlap === undefined ? false : readBoolean(raw.overlap, `${path}.overlap`),
    phase,
    window,
  };
  checkFits(mix, window.endMs - window.startMs, path);
  parseTypes(mix, path, brokers);
  return mix;
}
