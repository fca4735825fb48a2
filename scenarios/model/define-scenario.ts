import { HarnessError } from '../../harness/errors.ts';
import { readArray, readEnum, readNumber, readObject, readString, type Path } from '../../harness/validation.ts';
import { expandFaultMix, parseFaultMix } from './fault-mix.ts';
import { parseFaultTimeline } from './fault-timeline.ts';
import { parsePhases, runDurationOf, type Phase } from './phases.ts';
import { BROKER_COUNTS, DRILLS, KNOWN_CHECKERS, type CheckerName, type Scenario, type ScenarioInput, type SlaScope } from './scenario.ts';
import type { ScheduledFault } from './scheduled-fault.ts';
import { checkDrill, parseSites } from './sites.ts';
import { parseThreshold, type Threshold } from './thresholds.ts';
import { parseWorkload } from './workload-spec.ts';
import { DEFAULT_DISK_MB, MAX_DISK_MB, MIN_DISK_MB } from '../../harness/cluster/limited-disk.ts';

/** The keys a scenario may have; also `$schema`, a JSON file naming scenario.schema.json for its editor. */
export const SCENARIO_KEYS = ['name', 'description', 'seed', 'brokers', 'brokerDiskMb', 'sut', 'phases', 'workload', 'faults', 'faultMix', 'checkers', 'slas', 'drill', 'sites'] as const;
const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Where `defineScenario` keeps what was written, so a file loader can re-read it under the file's name. */
export const SCENARIO_INPUT = Symbol.for('streamproof.scenario.input');

function invalid(path: Path, message: string): HarnessError {
  return new HarnessError('CONFIG_INVALID', `${path}: ${message}`);
}

function parseCheckers(value: unknown, path: Path): CheckerName[] {
  const names = readArray(value, path).map((c, i) => readEnum(c, `${path}[${i}]`, KNOWN_CHECKERS));
  if (names.length === 0) throw invalid(path, `expected at least one checker (${KNOWN_CHECKERS.join(', ')})`);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) throw invalid(`${path}[${i}]`, `expected each checker once, got "${n}" again`);
  });
  return names;
}

function parseSlas(value: unknown, path: Path, phases: readonly Phase[]): Partial<Record<SlaScope, Threshold[]>> {
  if (value === undefined) return {};
  const scopes = ['run', ...phases.map((p) => p.name)];
  const raw = readObject(value, path, scopes);
  const slas: Partial<Record<SlaScope, Threshold[]>> = {};
  for (const scope of scopes as SlaScope[]) {
    if (raw[scope] === undefined) continue;
    slas[scope] = readArray(raw[scope], `${path}.${scope}`).map((t, i) => parseThreshold(t, `${path}.${scope}[${i}]`));
  }
  return slas;
}

/** Topic-level settings by Kafka's own names (`min.insync.replicas`, `unclean.leader.election.enable`): scalars, kept as strings. */
function parseTopicConfig(value: unknown, path: Path): Record<string, string> {
  const raw = readObject(value, path, Object.keys(value ?? {}));
  const config: Record<string, string> = {};
  for (const [name, setting] of Object.entries(raw)) {
    if (!/^[a-z][a-z0-9.]*$/.test(name)) throw invalid(`${path}.${name}`, 'expected a Kafka topic setting name (lower case, dotted)');
    if (!['string', 'number', 'boolean'].includes(typeof setting)) throw invalid(`${path}.${name}`, `expected a string, number or boolean, got ${JSON.stringify(setting)}`);
    // Kafka reads a setting from its text: 1e+308 is no number it parses.
    if (typeof setting === 'number' && !(Math.abs(setting) <= Number.MAX_SAFE_INTEGER)) throw invalid(`${path}.${name}`, `expected a number Kafka can read (at most ${Number.MAX_SAFE_INTEGER} either way), got ${setting}`);
    config[name] = String(setting);
  }
  return config;
}

function parseSut(value: unknown, path: Path): Scenario['sut'] {
  if (value === undefined) return {};
  const raw = readObject(value, path, ['instances', 'partitions', 'topicConfig']);
  const sut: Scenario['sut'] = {};
  if (raw.instances !== undefined) sut.instances = readNumber(raw.instances, `${path}.instances`, { integer: true, min: 1, max: 16 });
  if (raw.partitions !== undefined) sut.partitions = readNumber(raw.partitions, `${path}.partitions`, { integer: true, min: 1, max: 1000 });
  if (raw.topicConfig !== undefined) sut.topicConfig = parseTopicConfig(raw.topicConfig, `${path}.topicConfig`);
  return sut;
}

/** `brokerDiskMb`: given, or the default size when a fault of the scenario needs a disk of its own (`disk.full`). */
function parseBrokerDisk(value: unknown, path: Path, faultTypes: string[]): number | undefined {
  if (value !== undefined) return readNumber(value, path, { integer: true, min: MIN_DISK_MB, max: MAX_DISK_MB });
  return faultTypes.includes('disk.full') ? DEFAULT_DISK_MB : undefined;
}

/** Parses a scenario written as plain data; every error is prefixed with `source` and names the path. */
export function parseScenario(input: unknown, source: string): Scenario {
  try {
    return parse(input, source);
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    throw new HarnessError(error.code, `${source}: ${error.message}`, { context: { ...error.context, source, detail: error.message }, cause: error });
  }
}

function parse(input: unknown, source: string): Scenario {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HarnessError('CONFIG_INVALID', `expected a scenario object (${SCENARIO_KEYS.join(', ')}), got ${JSON.stringify(input)?.slice(0, 60) ?? String(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (key !== '$schema' && !(SCENARIO_KEYS as readonly string[]).includes(key)) throw invalid(key, `expected one of the keys ${SCENARIO_KEYS.join(', ')}, got "${key}"`);
  }
  const raw = input as Record<string, unknown>;
  if (raw.$schema !== undefined) readString(raw.$schema, '$schema');
  const name = readString(raw.name, 'name');
  if (!NAME.test(name)) throw invalid('name', `expected lower-case letters, digits and dashes (it names the run directory), got "${name}"`);
  const description = readString(raw.description, 'description');
  const seed = raw.seed === undefined ? undefined : readNumber(raw.seed, 'seed', { integer: true, min: 0, max: 2 ** 32 - 1 });
  const brokers = raw.brokers === undefined ? 3 : (readNumber(raw.brokers, 'brokers') as (typeof BROKER_COUNTS)[number]);
  if (!(BROKER_COUNTS as readonly number[]).includes(brokers)) throw invalid('brokers', `expected one of ${BROKER_COUNTS.join(', ')}, got ${brokers}`);
  const sut = parseSut(raw.sut, 'sut');
  const phases = parsePhases(raw.phases, 'phases');
  const runDurationMs = runDurationOf(phases);
  const sendingMs = phases.find((p) => p.name === 'drain')?.startMs ?? runDurationMs;
  if (sendingMs === 0) throw invalid('phases', "expected a phase before 'drain' (the workload sends until drain starts)");
  const workload = parseWorkload(raw.workload, 'workload', sendingMs);

  if (raw.faults !== undefined && raw.faultMix !== undefined) throw invalid('faultMix', "expected either 'faults' (a time line) or 'faultMix' (drawn from the seed), not both");
  const faults = raw.faults === undefined ? [] : parseFaultTimeline(raw.faults, 'faults', phases, brokers);
  const faultMix = raw.faultMix === undefined ? undefined : parseFaultMix(raw.faultMix, 'faultMix', phases, brokers);

  const checkers = parseCheckers(raw.checkers, 'checkers');
  const slas = parseSlas(raw.slas, 'slas', phases);
  const drill = raw.drill === undefined ? undefined : readEnum(raw.drill, 'drill', DRILLS);
  if (drill !== undefined && phases.at(-1)?.name !== 'drain') throw invalid('drill', `expected the scenario to end with a 'drain' phase (the drill runs on settled output)`);
  const sites = parseSites(raw.sites, 'sites');
  const brokerDiskMb = parseBrokerDisk(raw.brokerDiskMb, 'brokerDiskMb', [...faults.map((f) => f.type), ...Object.keys(faultMix?.types ?? {})]);
  checkDrill({ sites, faults, hasFaultMix: faultMix !== undefined, checkers, drill, sendingMs });

  return { name, description, seed, brokers, brokerDiskMb, sut, phases, runDurationMs, sendingMs, workload, faults, faultMix, checkers, slas, drill, sites, source };
}

/**
 * Declares a scenario: checks it at once (CONFIG_INVALID / FAULT_UNKNOWN naming the path) and
 * returns it parsed. A scenario file's default export is usually `defineScenario({...})`.
 */
export function defineScenario(input: ScenarioInput): Scenario {
  const name = typeof (input as { name?: unknown })?.name === 'string' ? `scenario '${(input as { name: string }).name}'` : 'scenario';
  const scenario = parseScenario(input, name);
  Object.defineProperty(scenario, SCENARIO_INPUT, { value: input, enumerable: false });
  return scenario;
}

/** The input a `defineScenario` result was made from, if it is one. */
export function scenarioInputOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && SCENARIO_INPUT in value ? (value as Record<symbol, unknown>)[SCENARIO_INPUT] : undefined;
}

/**
 * The run's fault time line: the hand-written faults, or the `faultMix` expanded from `seed`
 * (the run's seed: the scenario's own, or the one given on the command line).
 */
export function faultTimeline(scenario: Scenario, seed: number): ScheduledFault[] {
  return scenario.faultMix ? expandFaultMix(scenario.faultMix, seed, scenario.runDurationMs) : scenario.faults;
}
