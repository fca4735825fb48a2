import { HarnessError } from '../../harness/errors.ts';
import { readArray, readEnum, readNumber, readObject, type Path } from '../../harness/validation.ts';
import type { RateProfile } from '../../harness/workload/rate-profile.ts';
import type { Acks } from '../../harness/workload/kafka-transport.ts';
import { defineDomain, readDomainJson } from '../../generators/declared/domain-file.ts';
import { domainOf } from '../../generators/domain-of.ts';
import { replaySample } from '../../generators/replay/replay-sample.ts';
import { readSample } from '../../generators/replay/sample-file.ts';
import { DOMAIN_NAMES, REGISTRY_POISON_KINDS, resolveGeneratorOptions, type DomainChoice, type GeneratorOptions } from '../../generators/options.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { parseEncoding, type EncodingSpec } from './encoding-spec.ts';

/** The generator knobs a scenario may set (generators/options.ts); the run sets domain, seed and count. */
export const KNOB_NAMES = [
  'keyDistribution', 'keyCount', 'zipfExponent', 'maxDisorderMs', 'lateFraction', 'latenessBoundMs', 'duplicateFraction',
  'duplicateWindow', 'boundaryFraction', 'boundaryWindowMs', 'poisonFraction', 'poisonKinds', 'oversizedBytes', 'drift', 'driftAtIndex', 'driftLagFraction',
] as const satisfies readonly (keyof GeneratorOptions)[];
export type GeneratorKnobs = Pick<GeneratorOptions, (typeof KNOB_NAMES)[number]>;

export interface WorkloadSpec {
  /** A built-in domain's name, or a declared domain's spec (given inline or read from `domainFile`). */
  domain: DomainChoice;
  /** The domain file the spec was read from, with its hash: the history records both. */
  domainFile?: { path: string; sha256: string };
  /**
   * A captured NDJSON sample replayed instead of generated events (the domain names its roles):
   * at `rate`, or at the sample's own pacing times `speed`; `hotKeyFraction` of the events moved
   * onto its hottest key. Its hash is checked again when the run reads it.
   */
  sample?: { path: string; sha256: string; speed?: number; hotKeyFraction?: number };
  /** Arrival rate (harness/workload/rate-profile.ts): constant, or a ramp from 0. */
  rate: Extract<RateProfile, { kind: 'constant' | 'ramping' }>;
  /** Only the knobs that were set; the generator fills the rest with its defaults. */
  knobs: GeneratorKnobs;
  /** Avro or JSON Schema in the registry's wire format; absent: plain JSON. */
  encoding?: EncodingSpec;
  /** The producer's acks (-1 = all, the idempotent default); 1 and 0 use a plain producer. */
  acks?: Acks;
}

function parseAcks(value: unknown, path: Path): Acks {
  if (value === 'all' || value === -1) return -1;
  if (value === 1 || value === 0) return value;
  throw new HarnessError('CONFIG_INVALID', `${path}: expected 'all', 1 or 0, got ${JSON.stringify(value)}`);
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
  const detail = error.message.replace(/^(generateEvents|replay): /, '').replace(`'${option}' `, '');
  if (option === '' || option.includes(' ')) throw new HarnessError('CONFIG_INVALID', `${path}: ${option} ${detail}`.replace(/: {2}/, ': '), { cause: error });
  throw new HarnessError('CONFIG_INVALID', `${path}.${option}: ${detail}`, { cause: error });
}

/** Reads `workload` strictly. `sendingMs` is how long the workload sends (the run up to `drain`). */
export function parseWorkload(value: unknown, path: Path, sendingMs: number): WorkloadSpec {
  const raw = readObject(value, path, ['domain', 'domainFile', 'sample', 'rate', 'knobs', 'encoding', 'acks']);
  const { domain, domainFile } = parseDomain(raw, path);
  const knobs = { ...(raw.knobs === undefined ? {} : readObject(raw.knobs, `${path}.knobs`, KNOB_NAMES)) } as GeneratorKnobs;
  const encoding = parseEncoding(raw.encoding, `${path}.encoding`);
  const poisonKinds = knobs.poisonKinds === undefined ? [] : readArray(knobs.poisonKinds, `${path}.knobs.poisonKinds`);
  const registryKinds = poisonKinds.filter((k) => (REGISTRY_POISON_KINDS as readonly string[]).includes(k as string));
  if (!encoding && registryKinds.length > 0) {
    throw new HarnessError('CONFIG_INVALID', `${path}.knobs.poisonKinds: ${registryKinds.join(', ')} need a registry encoding (workload.encoding: 'avro' or 'json-schema')`);
  }
  // With a registry encoding, poison defaults to the registry's own failure modes.
  if (encoding && knobs.poisonFraction && knobs.poisonKinds === undefined) knobs.poisonKinds = [...REGISTRY_POISON_KINDS];
  const sample = raw.sample === undefined ? undefined : parseSample(raw.sample, `${path}.sample`, domain, knobs);
  let rate: WorkloadSpec['rate'];
  if (sample?.spec.speed !== undefined) {
    if (raw.rate !== undefined) throw new HarnessError('CONFIG_INVALID', `${path}.rate: a sample replayed at its own pacing (sample.speed) takes no rate`);
    rate = { kind: 'constant', rate: sample!.meanRate };
  } else rate = parseRate(raw.rate, `${path}.rate`, sendingMs);
  try {
    // The generator's own checks (ranges, fractions summing to at most 1, knobs that need another).
    resolveGeneratorOptions({ domain, seed: 0, count: 1_000_000_000, ...knobs });
  } catch (error) {
    knobError(error, `${path}.knobs`);
  }
  const spec: WorkloadSpec = { domain, rate, knobs: { ...knobs } };
  if (domainFile) spec.domainFile = domainFile;
  if (sample) spec.sample = sample.spec;
  if (encoding) spec.encoding = encoding;
  if (raw.acks !== undefined) spec.acks = parseAcks(raw.acks, `${path}.acks`);
  return spec;
}

/** `sample: { file, speed?, hotKeyFraction? }`: the sample is read now, so a bad line fails at load with its number. */
function parseSample(value: unknown, path: Path, domain: DomainChoice, knobs: GeneratorKnobs): { spec: NonNullable<WorkloadSpec['sample']>; meanRate: number } {
  const raw = readObject(value, path, ['file', 'speed', 'hotKeyFraction']);
  if (typeof raw.file !== 'string') throw new HarnessError('CONFIG_INVALID', `${path}.file: expected the path of an NDJSON sample`);
  const speed = raw.speed === undefined ? undefined : readNumber(raw.speed, `${path}.speed`, { min: Number.EPSILON, max: 1_000_000 });
  const hotKeyFraction = raw.hotKeyFraction === undefined ? undefined : readNumber(raw.hotKeyFraction, `${path}.hotKeyFraction`, { min: 0, max: 1 });
  const sample = readSample(raw.file, domainOf(domain));
  let replay;
  try {
    replay = replaySample({ ...knobs, domain, sample, seed: 0, ...(speed === undefined ? {} : { speed }) });
  } catch (error) {
    knobError(error, `${path.replace(/\.sample$/, '')}.knobs`);
  }
  const spanMs = replay.dueMs[replay.dueMs.length - 1]!;
  const spec = { path: raw.file, sha256: sample.sha256, ...(speed === undefined ? {} : { speed }), ...(hotKeyFraction === undefined ? {} : { hotKeyFraction }) };
  return { spec, meanRate: spanMs > 0 ? (replay.records.length * 1000) / spanMs : replay.records.length };
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
