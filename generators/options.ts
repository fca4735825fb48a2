import { HarnessError } from '../harness/errors.ts';
import type { DomainSpec } from './declared/domain-spec.ts';
import { domainOf } from './domain-of.ts';
import { missingPoisonDeclaration } from './poison.ts';
import { missingDrift } from './schema-drift.ts';

/** The event domains a generator can produce. */
export const DOMAIN_NAMES = ['orders', 'clickstream', 'iot'] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];

/** Poison message kinds of JSON values, in the round-robin order the generator uses (the default list). */
export const POISON_KINDS = ['malformed-json', 'wrong-type', 'missing-field', 'oversized', 'unknown-schema-version'] as const;
/**
 * A schema registry's own failure modes, made by the event encoder (generators/encoding/): a
 * schema id the registry does not know, bytes that do not decode with the schema, the magic
 * byte missing. Only with a registry encoding (Avro, JSON Schema).
 */
export const REGISTRY_POISON_KINDS = ['unknown-schema-id', 'undecodable-bytes', 'no-magic-byte'] as const;
export type RegistryPoisonKind = (typeof REGISTRY_POISON_KINDS)[number];
export type PoisonKind = (typeof POISON_KINDS)[number] | RegistryPoisonKind;
const ALL_POISON_KINDS: readonly PoisonKind[] = [...POISON_KINDS, ...REGISTRY_POISON_KINDS];

export const KEY_DISTRIBUTIONS = ['uniform', 'zipf'] as const;
export type KeyDistribution = (typeof KEY_DISTRIBUTIONS)[number];

/** `add-optional`: v2 adds a nullable field. `breaking-rename`: v2 renames a required field. `type-change`: v2 gives a field another type. */
export const DRIFT_MODES = ['none', 'add-optional', 'breaking-rename', 'type-change'] as const;
export type DriftMode = (typeof DRIFT_MODES)[number];

/** A built-in domain by name, or a declared one (a domain file's spec: generators/declared/). */
export type DomainChoice = DomainName | DomainSpec;

/** What a caller may pass; everything but `domain`, `seed` and `count` has a default. */
export interface GeneratorOptions {
  domain: DomainChoice;
  /** Whole number in [0, 2^32). Same seed + options => byte-identical records. */
  seed: number;
  /** Records emitted in total, poison and duplicates included. */
  count: number;
  /** Event time of record 0 (epoch ms); also faker's reference date. Default 2026-01-01T00:00:00Z. */
  startTimeMs?: number;
  /** Rate of the logical event-time clock: record i is stamped start + i * 1000 / eventsPerSecond. Default 1000. */
  eventsPerSecond?: number;
  /** Default 'uniform'. */
  keyDistribution?: KeyDistribution;
  /** Distinct keys (customers, users, devices). Default 1000. */
  keyCount?: number;
  /** Zipf exponent s (only with keyDistribution 'zipf'). Default 1. */
  zipfExponent?: number;
  /** Bounded out-of-orderness: each event is shifted back by U[0, maxDisorderMs]. Default 0. */
  maxDisorderMs?: number;
  /** Fraction of records made deliberately late (older than max-so-far minus latenessBoundMs). Default 0. */
  lateFraction?: number;
  /** Allowed lateness behind the max event time so far; older events are expected late. Default 30000. */
  latenessBoundMs?: number;
  /** Fraction of records that re-send an earlier event byte for byte. Default 0. */
  duplicateFraction?: number;
  /** A duplicate repeats one of the last `duplicateWindow` original events. Default 100. */
  duplicateWindow?: number;
  /**
   * Of the fresh events whose disorder range [clock - maxDisorderMs, clock] holds a window
   * boundary (a multiple of boundaryWindowMs), the fraction stamped exactly on it: half at the
   * boundary (the first millisecond of a window), half one millisecond before (the last of the
   * previous). Never beyond the bounded disorder, so never late. Default 0.
   */
  boundaryFraction?: number;
  /** The window size whose boundaries boundaryFraction aims at. Default 60000. */
  boundaryWindowMs?: number;
  /** Fraction of records that are poison. Default 0. */
  poisonFraction?: number;
  /** Poison kinds used round-robin. Default all of POISON_KINDS. */
  poisonKinds?: readonly PoisonKind[];
  /** Exact size in bytes of an `oversized` poison value. Default 1.1 MiB (Kafka's default limit is 1 MiB). */
  oversizedBytes?: number;
  /** Schema drift mode. Default 'none' (every event is schema_version 1). */
  drift?: DriftMode;
  /** First record index stamped schema_version 2 (only with a drift mode). Default floor(count / 2). */
  driftAtIndex?: number;
  /**
   * Fraction of producers still on schema_version 1 after the switch (only with a drift mode).
   * Record i comes from producer i mod 20; the first round(fraction * 20) producers lag. Default 0.
   */
  driftLagFraction?: number;
  /** Partition count of the target topic, for idlePartitions. */
  partitions?: number;
  /** Partitions that must receive no keyed record under Kafka's default partitioner. */
  idlePartitions?: readonly number[];
}

export type ResolvedGeneratorOptions = Required<Omit<GeneratorOptions, 'partitions'>> & { partitions: number | undefined };

export const DEFAULT_START_TIME_MS = Date.UTC(2026, 0, 1);
export const DEFAULT_OVERSIZED_BYTES = Math.ceil(1.1 * 1024 * 1024);
export const MIN_OVERSIZED_BYTES = 4096;
const MAX_COUNT = 1_000_000_000;
const MAX_KEYS = 1_000_000;

const KNOWN = new Set<string>([
  'domain', 'seed', 'count', 'startTimeMs', 'eventsPerSecond', 'keyDistribution', 'keyCount', 'zipfExponent',
  'maxDisorderMs', 'lateFraction', 'latenessBoundMs', 'duplicateFraction', 'duplicateWindow', 'boundaryFraction', 'boundaryWindowMs', 'poisonFraction',
  'poisonKinds', 'oversizedBytes', 'drift', 'driftAtIndex', 'driftLagFraction', 'partitions', 'idlePartitions',
]);

function invalid(option: string, message: string, value: unknown): never {
  throw new HarnessError('CONFIG_INVALID', `generateEvents: '${option}' ${message}, got ${JSON.stringify(value) ?? String(value)}`, {
    context: { option, value },
  });
}

function wholeNumber(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(option, `must be a whole number from ${min} to ${max}`, value);
  }
  return value;
}

function fraction(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) invalid(option, 'must be a number from 0 to 1', value);
  return value;
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) invalid(option, `must be one of ${allowed.join(', ')}`, value);
  return value as T;
}

/** Checks every option eagerly and fills defaults; bad input throws CONFIG_INVALID naming the option. */
export function resolveGeneratorOptions(input: GeneratorOptions): ResolvedGeneratorOptions {
  if (typeof input !== 'object' || input === null) invalid('options', 'must be an object', input);
  for (const key of Object.keys(input)) if (!KNOWN.has(key)) invalid(key, 'is not a known option', (input as unknown as Record<string, unknown>)[key]);

  const domain = typeof input.domain === 'object' && input.domain !== null ? input.domain : oneOf('domain', input.domain, DOMAIN_NAMES);
  const declared = domainOf(domain);
  const seed = wholeNumber('seed', input.seed, 0, 2 ** 32 - 1);
  const count = wholeNumber('count', input.count, 0, MAX_COUNT);
  const startTimeMs = wholeNumber('startTimeMs', input.startTimeMs ?? DEFAULT_START_TIME_MS, 0, 8.64e15);
  const eventsPerSecond = input.eventsPerSecond ?? 1000;
  if (typeof eventsPerSecond !== 'number' || !Number.isFinite(eventsPerSecond) || eventsPerSecond <= 0 || eventsPerSecond > 1e9) {
    invalid('eventsPerSecond', 'must be a number above 0 and at most 1e9', eventsPerSecond);
  }

  const keyDistribution = oneOf('keyDistribution', input.keyDistribution ?? 'uniform', KEY_DISTRIBUTIONS);
  const keyCount = wholeNumber('keyCount', input.keyCount ?? 1000, 1, MAX_KEYS);
  if (keyDistribution !== 'zipf' && input.zipfExponent !== undefined) invalid('zipfExponent', "needs keyDistribution 'zipf'", input.zipfExponent);
  const zipfExponent = input.zipfExponent ?? 1;
  if (typeof zipfExponent !== 'number' || !Number.isFinite(zipfExponent) || zipfExponent <= 0 || zipfExponent > 10) {
    invalid('zipfExponent', 'must be a number above 0 and at most 10', zipfExponent);
  }

  const maxDisorderMs = wholeNumber('maxDisorderMs', input.maxDisorderMs ?? 0, 0, 365 * 86_400_000);
  const lateFraction = fraction('lateFraction', input.lateFraction ?? 0);
  const latenessBoundMs = wholeNumber('latenessBoundMs', input.latenessBoundMs ?? 30_000, 1, 365 * 86_400_000);
  const duplicateFraction = fraction('duplicateFraction', input.duplicateFraction ?? 0);
  const duplicateWindow = wholeNumber('duplicateWindow', input.duplicateWindow ?? 100, 1, 1_000_000);
  const boundaryFraction = fraction('boundaryFraction', input.boundaryFraction ?? 0);
  const boundaryWindowMs = wholeNumber('boundaryWindowMs', input.boundaryWindowMs ?? 60_000, 2, 365 * 86_400_000);
  if (boundaryFraction > 0 && maxDisorderMs === 0) invalid('boundaryFraction', 'needs maxDisorderMs above 0 (boundary events stay within the disorder)', boundaryFraction);
  const poisonFraction = fraction('poisonFraction', input.poisonFraction ?? 0);
  const total = lateFraction + duplicateFraction + poisonFraction;
  if (total > 1 + 1e-12) invalid('lateFraction + duplicateFraction + poisonFraction', 'must be at most 1', total);

  const poisonKinds = input.poisonKinds ?? POISON_KINDS;
  if (!Array.isArray(poisonKinds) || poisonKinds.length === 0) invalid('poisonKinds', 'must be a non-empty list', poisonKinds);
  poisonKinds.forEach((kind, i) => {
    oneOf(`poisonKinds[${i}]`, kind, ALL_POISON_KINDS);
    const missing = poisonFraction > 0 ? missingPoisonDeclaration(kind, declared) : undefined;
    if (missing) invalid(`poisonKinds[${i}]`, `needs ${missing} in domain '${declared.name}'`, kind);
  });
  if (new Set(poisonKinds).size !== poisonKinds.length) invalid('poisonKinds', 'must not repeat a kind', poisonKinds);
  const oversizedBytes = wholeNumber('oversizedBytes', input.oversizedBytes ?? DEFAULT_OVERSIZED_BYTES, MIN_OVERSIZED_BYTES, 64 * 1024 * 1024);

  const drift = oneOf('drift', input.drift ?? 'none', DRIFT_MODES);
  const missingMode = missingDrift(drift, declared);
  if (missingMode) invalid('drift', `needs ${missingMode} in domain '${declared.name}'`, drift);
  if (drift === 'none' && input.driftAtIndex !== undefined) invalid('driftAtIndex', 'needs a drift mode', input.driftAtIndex);
  const driftAtIndex = wholeNumber('driftAtIndex', input.driftAtIndex ?? Math.floor(count / 2), 0, MAX_COUNT);
  if (drift === 'none' && input.driftLagFraction !== undefined) invalid('driftLagFraction', 'needs a drift mode', input.driftLagFraction);
  const driftLagFraction = fraction('driftLagFraction', input.driftLagFraction ?? 0);

  const partitions = input.partitions === undefined ? undefined : wholeNumber('partitions', input.partitions, 1, 100_000);
  const idlePartitions = input.idlePartitions ?? [];
  if (!Array.isArray(idlePartitions)) invalid('idlePartitions', 'must be a list of partition numbers', idlePartitions);
  if (idlePartitions.length > 0) {
    if (partitions === undefined) invalid('idlePartitions', "needs 'partitions'", idlePartitions);
    idlePartitions.forEach((p, i) => wholeNumber(`idlePartitions[${i}]`, p, 0, partitions - 1));
    if (new Set(idlePartitions).size !== idlePartitions.length) invalid('idlePartitions', 'must not repeat a partition', idlePartitions);
    if (idlePartitions.length >= partitions) invalid('idlePartitions', 'must leave at least one partition active', idlePartitions);
  }

  return {
    domain, seed, count, startTimeMs, eventsPerSecond, keyDistribution, keyCount, zipfExponent, maxDisorderMs,
    lateFraction, latenessBoundMs, duplicateFraction, duplicateWindow, boundaryFraction, boundaryWindowMs, poisonFraction, poisonKinds: [...poisonKinds],
    oversizedBytes, drift, driftAtIndex, driftLagFraction, partitions, idlePartitions: [...idlePartitions],
  };
}
