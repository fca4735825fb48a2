import type { Random } from '../harness/random.ts';
import type { FakerPools } from './faker-pools.ts';
import type { DomainName } from './options.ts';

/** Fields every event carries, in this order, before the domain's own fields. */
export interface EventEnvelope {
  event_id: string;
  event_type: string;
  schema_version: number;
  event_time_ms: number;
  /** The Kafka record key: customer id, user id or device id. */
  key: string;
}

export type EventPayload = EventEnvelope & Record<string, unknown>;

/** What the generator hands a domain for one fresh event. */
export interface EventStamp {
  event_id: string;
  schema_version: number;
  event_time_ms: number;
}

/** A domain's per-run state (open orders, sessions, device readings). */
export interface DomainSource {
  /** The next event; `pickKey` draws a key from the run's distribution when the domain needs a new one. */
  next(stamp: EventStamp, pickKey: () => string): EventPayload;
}

export interface DomainContext {
  seed: number;
  pools: FakerPools;
  random: Random;
}

/** One event domain: how to make events, and how its schema drifts and breaks. */
export interface Domain {
  name: DomainName;
  keyPrefix: string;
  eventTypes: readonly string[];
  createSource(context: DomainContext): DomainSource;
  /** Dotted paths of personal data in an event: the `pii` checker looks for their values in outputs. */
  piiFields: readonly string[];
  /** Field added (nullable) by schema_version 2 in 'add-optional' drift. */
  optionalV2Field: { name: string; make(random: Random, pools: FakerPools): unknown };
  /** Required field renamed by 'breaking-rename' drift. */
  breakingRename: { from: string; to: string };
  /** Top-level fields a 'missing-field' poison may drop. */
  requiredFields: readonly string[];
  /** Field a 'wrong-type' poison gives a value of the wrong JSON type. */
  wrongType: { field: string; make(random: Random): unknown };
}

/** Builds an event with the envelope fields first, so serialization order is fixed. */
export function envelope(stamp: EventStamp, eventType: string, key: string): EventEnvelope {
  return { event_id: stamp.event_id, event_type: eventType, schema_version: stamp.schema_version, event_time_ms: stamp.event_time_ms, key };
}

/** Rounds to 2 decimals (money, sensor readings). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A short upper-case id, e.g. 'ORD-7K2M9QX4'. */
export function shortId(random: Random, prefix: string, length = 10): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let id = `${prefix}-`;
  for (let i = 0; i < length; i++) id += alphabet[random.int(0, alphabet.length - 1)];
  return id;
}
