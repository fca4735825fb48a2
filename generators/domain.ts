import type { Random } from '../harness/random.ts';
import type { FakerPools } from './faker-pools.ts';

/** What the generator hands a domain for one fresh event. */
export interface EventStamp {
  index: number;
  schemaVersion: number;
  eventTimeMs: number;
}

/** One event a domain made: its JSON fields in write order, its Kafka key and its id. */
export interface MadeEvent {
  payload: Record<string, unknown>;
  key: string;
  eventId: string;
}

/** What values made after an event may refer to: its key and fields. */
export interface EventValues {
  key: string;
  fields: Record<string, unknown>;
}

/** A domain's per-run state (open orders, sessions, device readings). */
export interface DomainSource {
  /** The next event; `pickKey` draws a key from the run's distribution when the domain needs a new one. */
  next(stamp: EventStamp, pickKey: () => string): MadeEvent;
  /** The value schema_version 2 gives the 'add-optional' or 'type-change' field of `event`. */
  driftValue(mode: 'add-optional' | 'type-change', random: Random, event: EventValues): unknown;
  /** A value of the wrong JSON type for `poison.wrongType.field` of `event`. */
  wrongTypeValue(random: Random, event: EventValues): unknown;
}

export interface DomainContext {
  seed: number;
  /** Event time of record 0: faker's "now" for the domain's pools. */
  startTimeMs: number;
  /** The built-in faker pools, made on first use. */
  builtinPools: () => FakerPools;
  random: Random;
}

/** The fields that play a role in every event: the harness reads and rewrites them. */
export interface DomainRoles {
  eventId: string;
  eventTime: string;
  key?: string;
  eventType?: string;
  schemaVersion?: string;
}

/** One event domain: how to make events, and how its schema drifts and breaks. */
export interface Domain {
  name: string;
  keyPrefix: string;
  roles: DomainRoles;
  /** How the event-time field is written and read (epoch ms, epoch seconds or ISO-8601). */
  eventTime: { format(ms: number): unknown; parse(value: unknown): number | undefined };
  /** The id a fresh event at `index` gets (a replayed event without one, too). */
  eventIdOf(seed: number, index: number): string;
  createSource(context: DomainContext): DomainSource;
  /** Dotted paths of personal data in an event: the `pii` checker looks for their values in outputs. */
  piiFields: readonly string[];
  /** What schema_version 2 changes; a mode the domain does not declare is refused. */
  drift: { addOptional?: string; rename?: { from: string; to: string }; typeChange?: string };
  /** Top-level fields a 'missing-field' poison may drop. */
  requiredFields: readonly string[];
  /** Field a 'wrong-type' poison gives a value of the wrong JSON type. */
  wrongTypeField?: string;
}

/** Rounds to `decimals` places (money and sensor readings use 2). */
export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** A short upper-case id, e.g. 'ORD-7K2M9QX4'. */
export function shortId(random: Random, prefix: string, length = 10): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let id = `${prefix}-`;
  for (let i = 0; i < length; i++) id += alphabet[random.int(0, alphabet.length - 1)];
  return id;
}

/** The default event_id of the fresh record at `index`: unique per (domain, seed, index). */
export function eventIdFor(domain: string, seed: number, index: number): string {
  return `${domain}-${seed}-${index}`;
}
