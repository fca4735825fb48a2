import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import { faultUnavailable, registeredFaultType } from '../faults/fault-registry.ts';
import { checkFaultType, faultTiming, parseFaultAttributes } from '../../scenarios/model/fault-kinds.ts';
import type { Scenario } from '../../scenarios/model/scenario.ts';

/** One fault type exploration may draw, with its weight and its targets (simplest first). */
export interface ExploreFaultType {
  type: string;
  weight: number;
  /** Attribute sets to choose from; shrinking moves toward the first, so put the simplest first. */
  targets: Record<string, unknown>[];
}

/**
 * What exploration draws schedules from: fault types simplest first (shrinking moves toward
 * the first), up to `maxFaults` faults lasting `minDurationMs..maxDurationMs` in whole
 * `stepMs`, overlapping or not, inside `window` (offsets from the run start).
 */
export interface ExploreMix {
  types: ExploreFaultType[];
  maxFaults: number;
  minDurationMs: number;
  maxDurationMs: number;
  stepMs: number;
  overlap: boolean;
  window: { startMs: number; endMs: number };
}

const POISON_KINDS_THE_BROKER_TAKES = ['malformed-json', 'wrong-type', 'missing-field', 'unknown-schema-version'];

/** The window faults fall in: the `fault` phase, else the run before `drain`. */
function faultWindow(scenario: Scenario): { startMs: number; endMs: number } {
  const fault = scenario.phases.find((p) => p.name === 'fault');
  return fault ? { startMs: fault.startMs, endMs: fault.endMs } : { startMs: 0, endMs: scenario.sendingMs };
}

/**
 * The default mix for a scenario without a `faultMix`: SUT crashes and pauses, broker pauses,
 * client-link latency, network partitions, poison and late bursts; 1..3 faults of 1..5 s, not overlapping.
 */
export function defaultExploreMix(scenario: Scenario): ExploreMix {
  const brokers = Array.from({ length: scenario.brokers }, (_, i) => i + 1);
  const instances = Array.from({ length: scenario.sut.instances ?? 1 }, (_, i) => i);
  const window = faultWindow(scenario);
  return {
    types: [
      { type: 'sut.crash', weight: 1, targets: instances.map((instance) => ({ instance })) },
      { type: 'sut.pause', weight: 1, targets: instances.map((instance) => ({ instance })) },
      { type: 'broker.pause', weight: 1, targets: brokers.map((broker) => ({ broker })) },
      { type: 'net.latency', weight: 1, targets: brokers.map((broker) => ({ broker, latency: 200, stream: 'both' })) },
      // A true partition (nftables): one node cut off, then (3+ nodes) a random minority; left out where unavailable.
      { type: 'net.partition', weight: 1, targets: [...brokers.map((node) => ({ topology: 'isolate', node })), ...(brokers.length >= 3 ? [{ topology: 'halves' }] : [])] },
      // A SUT instance's wall clock 10 minutes ahead, put right by a restart (a step back is a fault of its own:
      // docs/cluster.md); brokers are left out, a JVM under libfaketime starts too slowly here.
      { type: 'clock.jump', weight: 1, targets: instances.map((instance) => ({ instance, by: '+10m', heal: 'restart' })) },
      // Only where the base gives the brokers disks of their own (brokerDiskMb); left out otherwise.
      { type: 'disk.full', weight: 1, targets: brokers.map((broker) => ({ broker })) },
      { type: 'data.poison-burst', weight: 1, targets: [{ count: 50, kinds: POISON_KINDS_THE_BROKER_TAKES }] },
      { type: 'data.late-burst', weight: 1, targets: [{ count: 50, lateByMs: 120_000 }] },
    ],
    maxFaults: 3,
    minDurationMs: 1000,
    maxDurationMs: Math.min(5000, window.endMs - window.startMs),
    stepMs: 1000,
    overlap: false,
    window,
  };
}

/** The scenario's own `faultMix` as an exploration mix (`count` becomes the most faults), else the default. */
export function exploreMixOf(scenario: Scenario): ExploreMix {
  const mix = scenario.faultMix;
  if (!mix) return defaultExploreMix(scenario);
  const step = [1000, 100, 1].find((s) => mix.minDurationMs % s === 0 && mix.maxDurationMs % s === 0) ?? 1;
  return checkExploreMix({
    types: Object.entries(mix.types).map(([type, weight]) => ({ type, weight, targets: [mix.attrs?.[type] ?? {}] })),
    maxFaults: mix.count,
    minDurationMs: mix.minDurationMs,
    maxDurationMs: mix.maxDurationMs,
    stepMs: step,
    overlap: mix.overlap,
    window: mix.window ?? { startMs: 0, endMs: scenario.runDurationMs },
  });
}

function invalid(path: string, message: string): HarnessError {
  return new HarnessError('CONFIG_INVALID', `explore mix: ${path}: ${message}`);
}

/** Checks a mix strictly (types known and lasting or bursts, targets parse, durations fit the window); returns it. */
export function checkExploreMix(mix: ExploreMix): ExploreMix {
  if (mix.types.length === 0) throw invalid('types', 'expected at least one fault type');
  mix.types.forEach((t, i) => {
    checkFaultType(t.type, `types[${i}].type`);
    if (faultTiming(t.type) === 'instant') throw invalid(`types[${i}].type`, `expected a fault that lasts or a burst: '${t.type}' is instantaneous`);
    if (!(t.weight > 0)) throw invalid(`types[${i}].weight`, `expected a weight above 0, got ${t.weight}`);
    if (t.targets.length === 0) throw invalid(`types[${i}].targets`, 'expected at least one attribute set ({} for the defaults)');
    t.targets.forEach((a, j) => parseFaultAttributes(t.type, a, `types[${i}].type`, `types[${i}].targets[${j}]`));
  });
  const windowMs = mix.window.endMs - mix.window.startMs;
  if (!Number.isInteger(mix.maxFaults) || mix.maxFaults < 1) throw invalid('maxFaults', `expected a whole number above 0, got ${mix.maxFaults}`);
  if (!(mix.stepMs >= 1) || !Number.isInteger(mix.stepMs)) throw invalid('stepMs', `expected a whole number of ms above 0, got ${mix.stepMs}`);
  if (!(mix.minDurationMs >= mix.stepMs) || mix.minDurationMs % mix.stepMs !== 0) throw invalid('minDurationMs', `expected a multiple of stepMs (${mix.stepMs}), got ${mix.minDurationMs}`);
  if (!(mix.maxDurationMs >= mix.minDurationMs) || mix.maxDurationMs % mix.stepMs !== 0) throw invalid('maxDurationMs', `expected a multiple of stepMs of at least minDurationMs, got ${mix.maxDurationMs}`);
  if (!(windowMs >= mix.maxDurationMs)) throw invalid('window', `expected a window of at least maxDurationMs (${mix.maxDurationMs} ms), got ${windowMs} ms`);
  return mix;
}

/**
 * The mix with what this lab and machine can carry out. A fault type the default mix offers
 * but that is unavailable here (no root for nftables, say) is left out with a line saying why;
 * one the scenario's own `faultMix` names is refused (exit 3), as `run` refuses it.
 */
export async function availableMix(mix: ExploreMix, cluster: StartedCluster, own: boolean, line: (text: string) => void): Promise<ExploreMix> {
  const kept: ExploreFaultType[] = [];
  for (const entry of mix.types) {
    const type = registeredFaultType(entry.type);
    const reason = type && (await faultUnavailable(type, cluster));
    if (reason === undefined) kept.push(entry);
    else if (own) throw new HarnessError('FAULT_UNSUPPORTED', `faultMix: ${entry.type} is unavailable here: ${reason}`);
    else line(`[explore] ${entry.type} left out of the mix: unavailable here: ${reason}`);
  }
  return { ...mix, types: kept };
}
