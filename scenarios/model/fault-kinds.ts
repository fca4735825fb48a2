import { HarnessError } from '../../harness/errors.ts';
import { faultType, faultTypes } from '../../harness/faults/fault-registry.ts';
import { readArray, readEnum, readNumber, readObject, type Path } from '../../harness/validation.ts';
import { POISON_KINDS, type PoisonKind } from '../../generators/options.ts';

/**
 * Fault types a scenario may name. Cluster faults (broker.*, net.*) live in the fault
 * registry (harness/faults/) and parse their own attributes. SUT faults (sut.*) and data
 * faults (data.*) are not registered there yet, so their attributes are parsed here; a
 * registered type of the same name takes precedence, so they can move without a change here.
 */
export type InstanceChoice = number | 'random';

export type SutFaultAttributes =
  | {
      type: 'sut.crash';
      instance: InstanceChoice;
      /** 'next-record': kill at the first record seen on a records output once the fault is due (+ afterMs). */
      on?: 'next-record';
      afterMs?: number;
    }
  | { type: 'sut.scale'; instances: number }
  | { type: 'sut.pause'; instance: InstanceChoice }
  | { type: 'sut.restart'; instance: InstanceChoice }
  | { type: 'sut.state-loss' };

/** Faults of a failover drill (a scenario with `sites`): harness/drill/ carries them out. */
export type SiteFailMode = 'kill' | 'isolate';
export type FailoverOffsets = 'translated' | 'timestamp' | 'earliest';
export type DrillFaultAttributes =
  | { type: 'site.fail'; mode: SiteFailMode }
  | { type: 'site.failover'; offsets: FailoverOffsets }
  | { type: 'mirror.cut'; side: 'primary' | 'dr' };

export const DRILL_FAULT_TYPES = ['site.fail', 'site.failover', 'mirror.cut'] as const;

export type DataFaultAttributes =
  | { type: 'data.poison-burst'; count: number; kinds: PoisonKind[] }
  | { type: 'data.late-burst'; count: number; lateByMs: number };

/**
 * How a fault sits on the time line:
 * - `lasting`: start, then heal after `duration` (default: when its phase ends);
 * - `instant`: done at once, nothing to heal (`duration` is rejected);
 * - `burst`: records injected at once, or spread evenly over `duration` when given.
 */
export type FaultTiming = 'lasting' | 'instant' | 'burst';

interface LocalFaultKind {
  summary: string;
  timing: FaultTiming;
  attributes: string;
  parse(attrs: Record<string, unknown> | undefined, path: Path): SutFaultAttributes | DataFaultAttributes | DrillFaultAttributes;
}

const MAX_INSTANCES = 16;
/** A year: event times stay dates (and ahead of 1970) however late a burst is stamped. */
const MAX_LATE_BY_MS = 365 * 86_400_000;

function instance(value: unknown, path: Path): InstanceChoice {
  if (value === 'random') return 'random';
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MAX_INSTANCES) return value;
  throw new HarnessError('CONFIG_INVALID', `${path}: expected an instance number 0..${MAX_INSTANCES - 1} or 'random', got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
}

function count(value: unknown, path: Path): number {
  return readNumber(value, path, { integer: true, min: 1, max: 10_000_000 });
}

export const LOCAL_FAULT_KINDS: Record<string, LocalFaultKind> = {
  'sut.crash': {
    summary: 'SIGKILL one SUT instance (mid-transaction, whatever it was doing); heal starts it again',
    timing: 'lasting',
    attributes: "instance?: number | 'random' (default 'random'), on?: 'next-record' (kill at the first record seen on a records output once due, at most 30 s later), afterMs?: ms after that record",
    parse: (a, p) => {
      const o = readObject(a ?? {}, p, ['instance', 'on', 'afterMs']);
      if (o.afterMs !== undefined && o.on === undefined) throw new HarnessError('CONFIG_INVALID', `${p}.afterMs: only with on: 'next-record'`);
      return {
        type: 'sut.crash',
        instance: instance(o.instance ?? 'random', `${p}.instance`),
        ...(o.on === undefined ? {} : { on: readEnum(o.on, `${p}.on`, ['next-record'] as const) }),
        ...(o.afterMs === undefined ? {} : { afterMs: readNumber(o.afterMs, `${p}.afterMs`, { integer: true, min: 0, max: 60_000 }) }),
      };
    },
  },
  'sut.pause': {
    summary: 'SIGSTOP one SUT instance (it keeps its group membership until the session times out); heal sends SIGCONT',
    timing: 'lasting',
    attributes: "instance: number | 'random'",
    parse: (a, p) => ({ type: 'sut.pause', instance: instance(readObject(a ?? {}, p, ['instance']).instance, `${p}.instance`) }),
  },
  'sut.restart': {
    summary: 'SIGTERM one SUT instance and start it again at once',
    timing: 'instant',
    attributes: "instance: number | 'random'",
    parse: (a, p) => ({ type: 'sut.restart', instance: instance(readObject(a ?? {}, p, ['instance']).instance, `${p}.instance`) }),
  },
  'sut.state-loss': {
    summary: "the SUT loses all it keeps: every instance killed, its own topics (changelogs: named after the run, not declared) deleted, its sink emptied; rebuilt by reprocessing from the earliest offsets, then compared with what it had written (harness/drill/state-loss.ts)",
    timing: 'instant',
    attributes: 'none',
    parse: (a, p) => (readObject(a ?? {}, p, []), { type: 'sut.state-loss' }),
  },
  'sut.scale': {
    summary: 'scale the SUT to `instances` instances (a consumer-group rebalance); stays scaled',
    timing: 'instant',
    attributes: `instances: 1..${MAX_INSTANCES}`,
    parse: (a, p) => ({ type: 'sut.scale', instances: readNumber(readObject(a ?? {}, p, ['instances']).instances, `${p}.instances`, { integer: true, min: 1, max: MAX_INSTANCES }) }),
  },
  'site.fail': {
    summary: 'the whole primary site is lost while load runs: its brokers SIGKILLed (mode kill) or cut off from everything (isolate), and the SUT running there killed; it stays down for the rest of the drill',
    timing: 'instant',
    attributes: "mode?: 'kill' | 'isolate' (default 'kill')",
    parse: (a, p) => ({ type: 'site.fail', mode: readEnum(readObject(a ?? {}, p, ['mode']).mode ?? 'kill', `${p}.mode`, ['kill', 'isolate'] as const) }),
  },
  'site.failover': {
    summary: 'the runbook: stop MirrorMaker 2, set the consumer group on the DR site (offsets translated by MM2, by the disaster\'s timestamp, or earliest), move the producers there and start the SUT against it',
    timing: 'instant',
    attributes: "offsets?: 'translated' | 'timestamp' | 'earliest' (default 'translated')",
    parse: (a, p) => ({ type: 'site.failover', offsets: readEnum(readObject(a ?? {}, p, ['offsets']).offsets ?? 'translated', `${p}.offsets`, ['translated', 'timestamp', 'earliest'] as const) }),
  },
  'mirror.cut': {
    summary: "cut MirrorMaker 2's links into one site (its replication listeners; clients are untouched); heal restores them",
    timing: 'lasting',
    attributes: "side?: 'dr' | 'primary' (default 'dr')",
    parse: (a, p) => ({ type: 'mirror.cut', side: readEnum(readObject(a ?? {}, p, ['side']).side ?? 'dr', `${p}.side`, ['dr', 'primary'] as const) }),
  },
  'data.poison-burst': {
    summary: 'send `count` poison records (default kinds: all, round-robin) among the workload',
    timing: 'burst',
    attributes: `count, kinds?: (${POISON_KINDS.join(' | ')})[]`,
    parse(a, p) {
      const attrs = readObject(a ?? {}, p, ['count', 'kinds']);
      const kinds = attrs.kinds === undefined ? [...POISON_KINDS] : readArray(attrs.kinds, `${p}.kinds`).map((k, i) => readEnum(k, `${p}.kinds[${i}]`, POISON_KINDS));
      if (kinds.length === 0 || new Set(kinds).size !== kinds.length) {
        throw new HarnessError('CONFIG_INVALID', `${p}.kinds: expected a non-empty list of distinct poison kinds, got ${JSON.stringify(attrs.kinds)}`);
      }
      return { type: 'data.poison-burst', count: count(attrs.count, `${p}.count`), kinds };
    },
  },
  'data.late-burst': {
    summary: 'send `count` events stamped `lateByMs` behind the event-time high-water mark',
    timing: 'burst',
    attributes: 'count, lateByMs',
    parse(a, p) {
      const attrs = readObject(a ?? {}, p, ['count', 'lateByMs']);
      return { type: 'data.late-burst', count: count(attrs.count, `${p}.count`), lateByMs: readNumber(attrs.lateByMs, `${p}.lateByMs`, { integer: true, min: 1, max: MAX_LATE_BY_MS }) };
    },
  },
};

/** Registered types whose heal does nothing. */
const INSTANT_REGISTERED = new Set(['broker.restart']);

function registered(type: string): boolean {
  return faultTypes().some((t) => t.name === type);
}

/** How a fault type sits on the time line (a property of the name, wherever its parser lives). */
export function faultTiming(type: string): FaultTiming {
  return LOCAL_FAULT_KINDS[type]?.timing ?? (INSTANT_REGISTERED.has(type) ? 'instant' : 'lasting');
}

/** Every fault type name a scenario may use. */
export function scenarioFaultTypeNames(): string[] {
  return [...new Set([...faultTypes().map((t) => t.name), ...Object.keys(LOCAL_FAULT_KINDS)])];
}

/** Checks that a fault type exists: FAULT_UNKNOWN naming `path` and the known types otherwise. */
export function checkFaultType(type: unknown, path: Path): string {
  if (typeof type !== 'string' || type.length === 0) {
    throw new HarnessError('CONFIG_INVALID', `${path}: expected a fault type name, got ${JSON.stringify(type) ?? String(type)}`);
  }
  if (LOCAL_FAULT_KINDS[type] || registered(type)) return type;
  try {
    faultType(type, path);
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'FAULT_UNKNOWN') {
      throw new HarnessError('FAULT_UNKNOWN', `${path}: unknown fault type '${type}' (known: ${scenarioFaultTypeNames().join(', ')})`, { cause: error });
    }
    throw error;
  }
  return type;
}

/**
 * Parses a fault's attributes strictly: registered types through their own `parse`, SUT and
 * data faults here. `typePath` names the `type` field, `path` the attributes.
 */
export function parseFaultAttributes(type: string, attrs: unknown, typePath: Path, path: Path): unknown {
  checkFaultType(type, typePath);
  if (registered(type)) return faultType(type, typePath).parse(attrs, path);
  return LOCAL_FAULT_KINDS[type]!.parse(attrs as Record<string, unknown> | undefined, path);
}
