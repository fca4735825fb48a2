import { HarnessError } from '../errors.ts';
import { readEnum, readNumber, readObject, type Path } from '../validation.ts';
import { BROKER_SELECTOR_KEYS, parseBrokerSelector, type BrokerSelector } from './broker-target.ts';

/** Which process a clock fault acts on: a broker (by the usual selector) or a SUT instance. */
export type ClockTargetChoice = { kind: 'broker'; selector: BrokerSelector } | { kind: 'instance'; instance: number | 'random' };

export type ClockFaultKind = 'offset' | 'drift' | 'jump';

export interface ClockAttributes {
  target: ClockTargetChoice;
  /** clock.offset and clock.jump: signed milliseconds. */
  offsetMs?: number;
  /** clock.drift: the speed of the wall clock (1.001 = 1000 ppm fast). */
  rate?: number;
  /** clock.jump: how the clock is put right, a step back (default) or a restart with the real clock. */
  heal?: JumpHeal;
}

/**
 * A step back is itself a clock fault (NTP stepping a clock that ran ahead): kafkajs gates its
 * group heartbeats on the wall clock, so a consumer stepped back stops heartbeating and is
 * dropped from its group (measured). `restart` puts the clock right by restarting the process.
 */
export const JUMP_HEALS = ['step', 'restart'] as const;
export type JumpHeal = (typeof JUMP_HEALS)[number];

const MAX_INSTANCES = 16;
/** Beyond a year, a process is less testing clock skew than a calendar. */
const MAX_OFFSET_MS = 366 * 86_400_000;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const MIN_RATE = 0.5;
export const MAX_RATE = 2;

/**
 * A signed clock step: `'+10m'`, `'-30s'`, `'+1.5s'`, `'-250ms'`, `'+2h'`, `'+1d'`, or a whole
 * number of milliseconds (`600000`, `-1500`). The sign is required in a string: a step back
 * and a step ahead are different faults, and `'10m'` would hide which one was meant.
 */
export function parseClockStep(value: unknown, path: Path): number {
  let ms: number;
  if (typeof value === 'number') {
    ms = readNumber(value, path, { integer: true });
  } else {
    const match = typeof value === 'string' ? /^([+-])(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value) : null;
    if (!match) throw new HarnessError('CONFIG_INVALID', `${path}: expected a signed step like '+10m', '-30s', '+250ms' (units ms, s, m, h, d) or whole milliseconds, got ${JSON.stringify(value) ?? 'nothing'}`);
    ms = Math.round(Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS]) * (match[1] === '-' ? -1 : 1);
  }
  if (ms === 0) throw new HarnessError('CONFIG_INVALID', `${path}: a clock step of zero does nothing`);
  if (Math.abs(ms) > MAX_OFFSET_MS) throw new HarnessError('CONFIG_INVALID', `${path}: at most a year either way, got ${ms} ms`);
  return ms;
}

function parseTarget(attrs: Record<string, unknown>, path: Path): ClockTargetChoice {
  const hasBroker = attrs.broker !== undefined || attrs.topic !== undefined || attrs.partition !== undefined;
  if (attrs.instance !== undefined && hasBroker) throw new HarnessError('CONFIG_INVALID', `${path}: name either a SUT instance (instance) or a broker (broker, topic, partition), not both`);
  if (attrs.instance !== undefined) {
    const instance = attrs.instance;
    if (instance === 'random' || (typeof instance === 'number' && Number.isInteger(instance) && instance >= 0 && instance < MAX_INSTANCES)) return { kind: 'instance', instance };
    throw new HarnessError('CONFIG_INVALID', `${path}.instance: expected an instance number 0..${MAX_INSTANCES - 1} or 'random', got ${JSON.stringify(instance)}`);
  }
  if (!hasBroker) throw new HarnessError('CONFIG_INVALID', `${path}: name the process whose clock moves: instance (a SUT instance: number or 'random') or broker (id, 'leader' with topic, 'controller', 'random')`);
  return { kind: 'broker', selector: parseBrokerSelector(attrs, path) };
}

const TARGET_KEYS = ['instance', ...BROKER_SELECTOR_KEYS] as const;

/** Strict attributes of clock.offset / clock.jump (`by`) and clock.drift (`rate`), with paths in every error. */
export function parseClockAttributes(kind: ClockFaultKind, value: unknown, path: Path): ClockAttributes {
  if (kind === 'drift') {
    const attrs = readObject(value ?? {}, path, [...TARGET_KEYS, 'rate']);
    const rate = readNumber(attrs.rate, `${path}.rate`, { min: MIN_RATE, max: MAX_RATE });
    if (rate === 1) throw new HarnessError('CONFIG_INVALID', `${path}.rate: a rate of 1 is the real clock's speed; e.g. 1.001 runs 1000 ppm fast, 0.999 slow`);
    return { target: parseTarget(attrs, path), rate };
  }
  const attrs = readObject(value ?? {}, path, [...TARGET_KEYS, 'by', ...(kind === 'jump' ? ['heal'] : [])]);
  const parsed: ClockAttributes = { target: parseTarget(attrs, path), offsetMs: parseClockStep(attrs.by, `${path}.by`) };
  if (attrs.heal !== undefined) parsed.heal = readEnum(attrs.heal, `${path}.heal`, JUMP_HEALS);
  return parsed;
}
