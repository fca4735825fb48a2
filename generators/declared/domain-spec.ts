/**
 * A declared event domain: the shape of a domain file (JSON or TS, checked against
 * domain-file.schema.json). Every value a field gets is made by a ValueSpec; values are drawn in
 * the order the file lists them, so a file and a seed fix every byte.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Rounding and shaping any numeric value spec may carry (applied in this order). */
interface NumberShape {
  /** Divide the drawn number (e.g. cents to units). */
  divideBy?: number;
  /** Keep the value within [min, max]. */
  clamp?: [number, number];
  /** Round to this many decimals. */
  decimals?: number;
  /** Write the whole number as a string of at least this many digits, zero-padded ('0042'). */
  pad?: number;
}

/** How one value is made. `presentChance`: the value is null unless a draw falls under it. */
export type ValueSpec = (
  | { const: JsonValue }
  | { enum: JsonValue[]; weights?: number[] }
  | ({ int: { min: number; max: number } } & NumberShape)
  | ({ uniform: { min: number; max: number } } & NumberShape)
  | ({ normal: { mean: number; sd: number } } & NumberShape)
  | ({ lognormal: { mu: number; sigma: number } } & NumberShape)
  /** A rank in 1..n, rank 1 the most frequent: P(k) ∝ 1 / k^s. */
  | ({ zipf: { n: number; s: number } } & NumberShape)
  /** (sum of `terms` uniform draws - terms / 2) * spread: a bell around 0 without a tail. */
  | ({ noise: { terms: number; spread: number } } & NumberShape)
  /** The sum of the values (numbers). */
  | ({ sum: ValueSpec[] } & NumberShape)
  /** Per key, a running value: `start` on a key's first event, then + step each event (clamped). */
  | ({ counter: { start: ValueSpec; step: number; min?: number; max?: number } } & NumberShape)
  /** A value of a named pool (the built-in faker pools, or the file's `pools`). */
  | { pool: string }
  /** A short id: prefix, '-', then `length` characters of an unambiguous upper-case alphabet. */
  | { id: { prefix: string; length?: number } }
  /** A reference into a second key space (merchant, device, store): `count` ids with a skew. */
  | { keyRef: { prefix: string; count: number; zipf?: number } }
  /** The strings of the parts, joined. */
  | { concat: (string | ValueSpec)[] }
  | { object: Record<string, ValueSpec> }
  | { array: ValueSpec; min: number; max: number }
  /** A value made earlier: `key`, `eventId`, `eventType`, `schemaVersion`, `eventTime`, `perKey.<f>`, `entity.<f>`, or a field of this event. */
  | { ref: string }
  /** `map[value of the field]` (e.g. currency by region). */
  | { lookup: string; map: Record<string, JsonValue> }
  /** The value of the spec named by the event's type ('*' for any other type). */
  | { byEventType: Record<string, ValueSpec> }
  /** Epoch ms of the event time plus an offset (ms) drawn by the spec, in the domain's time format. */
  | { eventTimePlus: ValueSpec }
) & { presentChance?: number };

/** The fields of an event: a value spec, or the role a field plays (its value is the run's). */
export type FieldSpec = ValueSpec | FieldRole;
export const FIELD_ROLES = ['$eventId', '$eventType', '$schemaVersion', '$eventTime', '$key'] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

/** Entities with a lifecycle (orders, sessions): later events repeat what the first one drew. */
export interface LifecycleSpec {
  /**
   * 'pool': an entity starts with `createChance` (always when none is open, never beyond
   * `maxOpen`), else a uniformly drawn open entity takes a step; its key is drawn when it starts.
   * 'perKey': each event draws a key; the key's entity takes a step, or a new one starts when the
   * key has none or with `restartChance`.
   */
  mode: 'pool' | 'perKey';
  createChance?: number;
  maxOpen?: number;
  restartChance?: number;
  /** The first event of an entity and the state it enters. */
  start: { emit: string; state: string };
  /** Per state, the steps it may take by weight: the event type emitted, the next state (default: stay), whether the entity ends. */
  states: Record<string, { emit: string; weight: number; to?: string; end?: boolean }[]>;
  /** Values drawn when an entity starts, in order (`entity.<name>`). */
  fields: Record<string, ValueSpec>;
}

export interface DomainSpec {
  /** Names the domain in event ids and reports. */
  name: string;
  /** Keys are `<keyPrefix>-000042`; the run's key distribution (uniform or Zipf) picks them. */
  keyPrefix: string;
  /** 'default': `<domain>-<seed>-<index>`; 'uuid': a UUID-shaped hash of it. */
  eventIdFormat?: 'default' | 'uuid';
  /** How `$eventTime` and `eventTimePlus` are written: epoch ms (default), epoch seconds, or ISO-8601. */
  eventTimeFormat?: 'epoch-ms' | 'epoch-s' | 'iso';
  /** Named pools of realistic strings, each drawn once per run from its own seeded faker. */
  pools?: Record<string, { faker: string; args?: JsonValue[]; size?: number; slug?: boolean }>;
  /** Values that are a pure function of (seed, key): a customer's email, a device's baseline. */
  perKey?: { label: string; fields: Record<string, ValueSpec> };
  lifecycle?: LifecycleSpec;
  /** Without a lifecycle: how an event's type is drawn (default: the domain's name). */
  eventType?: ValueSpec;
  /** The event's fields in the order they are written. */
  fields: Record<string, FieldSpec>;
  /** Dotted paths of personal data: the `pii` checker looks for their values in everything the SUT writes. */
  pii?: string[];
  /** What schema_version 2 changes, per drift mode. */
  drift?: {
    addOptional?: { field: string; value: ValueSpec };
    rename?: { from: string; to: string };
    typeChange?: { field: string; value: ValueSpec };
  };
  /** How poison breaks an event: the fields `missing-field` may drop; the wrong-type value of `wrong-type`. */
  poison?: { requiredFields?: string[]; wrongType?: { field: string; value: ValueSpec } };
}
