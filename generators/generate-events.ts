import { Random } from '../harness/random.ts';
import { DOMAINS } from './domains/index.ts';
import type { EventPayload } from './domain.ts';
import { createFakerPools } from './faker-pools.ts';
import { createKeyPicker } from './key-picker.ts';
import { buildKeySpace } from './key-space.ts';
import { resolveGeneratorOptions, type GeneratorOptions, type ResolvedGeneratorOptions } from './options.ts';
import { makePoison } from './poison.ts';
import type { GeneratedRecord } from './record.ts';
import { applyDrift, schemaVersionAt } from './schema-drift.ts';

/** The event_id of the fresh record at `index`: unique per (domain, seed, index). */
export function eventIdFor(domain: string, seed: number, index: number): string {
  return `${domain}-${seed}-${index}`;
}

/**
 * Synthetic events, lazily: options are validated now (CONFIG_INVALID on bad input), records
 * are built as the iterator is consumed, so 100k+ events never sit in memory at once.
 *
 * Each record is, by one uniform draw, poison (poisonFraction), a duplicate of one of the last
 * duplicateWindow originals (duplicateFraction), a deliberately late event (lateFraction), or a
 * fresh event. Record i's logical clock is startTimeMs + floor(i * 1000 / eventsPerSecond);
 * fresh events are stamped clock - U[0, maxDisorderMs]; late ones max-so-far - latenessBoundMs - U[1, latenessBoundMs].
 */
export function generateEvents(options: GeneratorOptions): IterableIterator<GeneratedRecord> {
  return run(resolveGeneratorOptions(options));
}

/** All records in an array (for tests and small runs). */
export function collectEvents(options: GeneratorOptions): GeneratedRecord[] {
  return [...generateEvents(options)];
}

function* run(o: ResolvedGeneratorOptions): Generator<GeneratedRecord, void, undefined> {
  const root = new Random(o.seed);
  const domain = DOMAINS[o.domain];
  // Separate forks per concern: turning one knob does not reshuffle the others' draws.
  const pools = createFakerPools(root.fork('faker'), o.startTimeMs);
  const keys = buildKeySpace({ prefix: domain.keyPrefix, keyCount: o.keyCount, partitions: o.partitions, idlePartitions: o.idlePartitions }, root.fork('key-space'));
  const picker = createKeyPicker({ distribution: o.keyDistribution, keyCount: o.keyCount, zipfExponent: o.zipfExponent }, root.fork('key-picks'));
  const source = domain.createSource({ seed: o.seed, pools, random: root.fork('domain') });
  const slots = root.fork('slots');
  const time = root.fork('time');
  const poisonRandom = root.fork('poison');
  const driftRandom = root.fork('drift');
  const duplicateRandom = root.fork('duplicates');
  const boundaryRandom = root.fork('boundary');
  const pickKey = () => keys[picker.pick()]!;

  const originals: GeneratedRecord[] = [];
  let nextSlot = 0;
  let maxEventTimeMs = -Infinity;
  let poisonCount = 0;
  const poisonCut = o.poisonFraction;
  const duplicateCut = poisonCut + o.duplicateFraction;
  const lateCut = duplicateCut + o.lateFraction;
  const isLate = (eventTimeMs: number) => eventTimeMs < maxEventTimeMs - o.latenessBoundMs;

  /** A fresh event time moved onto the window boundary its disorder range holds (boundaryFraction of those that hold one). */
  const onBoundary = (clockMs: number, eventTimeMs: number): number => {
    const boundary = Math.floor(clockMs / o.boundaryWindowMs) * o.boundaryWindowMs;
    if (boundary < clockMs - o.maxDisorderMs || !boundaryRandom.chance(o.boundaryFraction)) return eventTimeMs;
    return boundaryRandom.chance(0.5) || boundary - 1 < clockMs - o.maxDisorderMs ? boundary : boundary - 1;
  };

  const freshPayload = (index: number, eventTimeMs: number): EventPayload => {
    const schemaVersion = schemaVersionAt(index, o.drift, o.driftAtIndex);
    const payload = source.next({ event_id: eventIdFor(o.domain, o.seed, index), schema_version: schemaVersion, event_time_ms: eventTimeMs }, pickKey);
    return schemaVersion === 2 ? applyDrift(payload, o.drift, domain, driftRandom, pools) : payload;
  };

  for (let index = 0; index < o.count; index++) {
    const clockMs = o.startTimeMs + Math.floor((index * 1000) / o.eventsPerSecond);
    const u = slots.next();

    if (u < poisonCut) {
      const eventTimeMs = clockMs - time.int(0, o.maxDisorderMs);
      const payload = freshPayload(index, eventTimeMs);
      const poisonKind = o.poisonKinds[poisonCount++ % o.poisonKinds.length]!;
      const { value, schemaVersion } = makePoison(poisonKind, payload, domain, poisonRandom, o.oversizedBytes);
      yield { index, key: payload.key, value, eventId: payload.event_id, eventTimeMs, truth: { kind: 'poison', poisonKind, schemaVersion } };
      continue;
    }

    if (u < duplicateCut && originals.length > 0) {
      const original = originals[duplicateRandom.int(0, originals.length - 1)]!;
      const expectedLate = isLate(original.eventTimeMs);
      yield {
        index,
        key: original.key,
        value: original.value,
        eventId: original.eventId,
        eventTimeMs: original.eventTimeMs,
        truth: { kind: 'duplicate', schemaVersion: original.truth.schemaVersion, duplicateOf: original.index, expectedLate },
      };
      continue;
    }

    const late = u >= duplicateCut && u < lateCut && Number.isFinite(maxEventTimeMs);
    let eventTimeMs = late ? maxEventTimeMs - o.latenessBoundMs - time.int(1, o.latenessBoundMs) : clockMs - time.int(0, o.maxDisorderMs);
    if (!late && o.boundaryFraction > 0) eventTimeMs = onBoundary(clockMs, eventTimeMs);
    const payload = freshPayload(index, eventTimeMs);
    const expectedLate = isLate(eventTimeMs);
    const record: GeneratedRecord = {
      index,
      key: payload.key,
      value: Buffer.from(JSON.stringify(payload), 'utf8'),
      eventId: payload.event_id,
      eventTimeMs,
      truth: { kind: expectedLate ? 'late' : 'valid', schemaVersion: payload.schema_version, expectedLate },
    };
    if (originals.length < o.duplicateWindow) originals.push(record);
    else originals[nextSlot] = record;
    nextSlot = (nextSlot + 1) % o.duplicateWindow;
    if (eventTimeMs > maxEventTimeMs) maxEventTimeMs = eventTimeMs;
    yield record;
  }
}
