import { HarnessError } from '../../harness/errors.ts';
import { readArray, readEnum, readNumber, readObject, type Path } from '../../harness/validation.ts';
import type { RateProfile } from '../../harness/workload/rate-profile.ts';
import { defineDomain, readDomainJson } from '../../generators/declared/domain-file.ts';
import { DOMAIN_NAMES, resolveGeneratorOptions, type DomainChoice, type GeneratorOptions } from '../../generators/options.ts';
import { formatDuration, parseDuration } from './duration.ts';

/** The generator knobs a scenario may set (generators/options.ts); the run sets domain, seed and count. */
export const KNOB_NAMES = [
  'keyDistribution', 'keyCount', 'zipfExponent', 'maxDisorderMs', 'lateFraction', 'latenessBoundMs', 'duplicateFraction',
  'duplicateWindow', 'boundaryFraction', 'boundaryWindowMs', 'poisonFraction', 'poisonKinds', 'oversizedBytes', 'drift', 'driftAtIndex',
] as const satisfies readonly (keyof GeneratorOptions)[];
export type GeneratorKnobs = Pick<GeneratorOptions, (typeof KNOB_NAMES)[number]>;

export interface WorkloadSpec {
  /** A built-in domain's name, or a declared domain's spec (given inline or read from `domainFile`). */
  domain: DomainChoice;
  /** The domain file the spec was read from, with its hash: the history records both. */
  domainFile?: { path: string; sha256: string };
  /** Arrival rate (harness/workload/rate-profile.ts): constant, or a ramp from 0. */
  rate: Extract<RateProfile, { kind: 'constant' | 'ramping' }>;
  /** Only the knobs that were set; the generator fills the rest with its defaults. */
  knobs: GeneratorKnobs;
}

const MAX_RATE = 1_000_000;

function parseRate(value: unknown, path: Path, sendingMs: number): WorkloadSpec['rate'] {
  if (!Array.isArray(value)) return { kind: 'constant', rate: readNumber(value, path, { min: Number.EPSILON, max: MAX_RATE }) };
  const stages = readArray(value, path).map((item, i) => {
    const p = `${path}[${i}]`;
    const stage = readObject(item, p, ['duration', 'target']);
    return { durationMs: parseDuration(stage.duration, `${p}.duration`), target: readNumber(stage.target, `${p}.target`, { min: 0, max: MAX_RATE }) };
  });
  if (stages.length === 0) throw new HarnessError('CONFIG_INVALID', `${path}: expected a rate in events/s or a ramp of at least one { duration, target } stage`);
  if (stages.every((s) => s.target === 0)) throw new HarnessError('CONFIG_INVALID', `${path}: expected a ramp with a target above 0 somewhere`);
  const total = stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (total > sendingMs) {
    throw new HarnessError('CONFIG_INVALID', `${path}: expected the ramp to fit the sending time (${formatDuration(sendingMs)}: the run up to 'drain'), got ${formatDuration(total)}`);
  }
  return { kind: 'ramping', stages };
}

/** Re-states a generator option error with its path inside the scenario. */
function knobError(error: unknown, path: Path): never {
  if (!(error instanceof HarnessError)) throw error;
  const option = String(error.context.option ?? '');
  const detail = error.message.replace(/^generateEvents: /, '').replace(`'${option}' `, '');
  if (option === '' || option.includes(' ')) throw new HarnessError('CONFIG_INVALID', `${path}: ${option} ${detail}`.replace(/: {2}/, ': '), { cause: error });
  throw new HarnessError('CONFIG_INVALID', `${path}.${option}: ${detail}`, { cause: error });
}

/** Reads `workload` strictly. `sendingMs` is how long the workload sends (the run up to `drain`). */
export function parseWorkload(value: unknown, path: Path, sendingMs: number): WorkloadSpec {
  const raw = readObject(value, path, ['domain', 'domainFile', 'rate', 'knobs']);
  const { domain, domainFile } = parseDomain(raw, path);
  const rate = parseRate(raw.rate, `${path}.rate`, sendingMs);
  const knobs = (raw.knobs === undefined ? {} : readObject(raw.knobs, `${path}.knobs`, KNOB_NAMES)) as GeneratorKnobs;
  try {
    // The generator's own checks (ranges, fractions summing to at most 1, knobs that need another).
    resolveGeneratorOptions({ domain, seed: 0, count: 1_000_000_000, ...knobs });
  } catch (error) {
    knobError(error, `${path}.knobs`);
  }
  return { domain, ...(domainFile ? { domainFile } : {}), rate, knobs: { ...knobs } };
}

/** `domain` (a built-in's name or a spec) or `domainFile` (a JSON domain file, relative to the working directory). */
function parseDomain(raw: Record<string, unknown>, path: Path): Pick<WorkloadSpec, 'domain' | 'domainFile'> {
  if (raw.domainFile !== undefined) {
    if (raw.domain !== undefined) throw new HarnessError('CONFIG_INVALID', `${path}: give 'domain' or 'domainFile', not both`);
    if (typeof raw.domainFile !== 'string') throw new HarnessError('CONFIG_INVALID', `${path}.domainFile: expected the path of a JSON domain file`);
    const file = readDomainJson(raw.domainFile);
    return { domain: file.spec, domainFile: { path: raw.domainFile, sha256: file.sha256 } };
  }
  if (typeof raw.domain === 'object' && raw.domain !== null) {
    defineDomain(raw.domain, `${path}.domain`);
    return { domain: raw.domain as DomainChoice };
  }
  return { domain: readEnum(raw.domain, `${path}.domain`, DOMAIN_NAMES) };
}
