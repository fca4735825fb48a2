import { Random } from '../harness/random.ts';
import { domainOf } from './domain-of.ts';
import type { MadeEvent } from './domain.ts';
import { createFakerPools, type FakerPools } from './faker-pools.ts';
import { createKeyPicker } from './key-picker.ts';
import { buildKeySpace } from './key-space.ts';
import { resolveGeneratorOptions, type GeneratorOptions, type ResolvedGeneratorOptions } from './options.ts';
import { makePoison } from './poison.ts';
import type { GeneratedRecord } from './record.ts';
import { applyDrift, schemaVersionAt } from './schema-drift.ts';

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
  const domain = domainOf(o.domain);
  // Separate forks per concern: turning one knob does not reshuffle the others' draws.
  let pools: FakerPools | undefined;
  const builtinPools = () => (pools ??= createFakerPools(root.fork('faker'), o.startTimeMs));
  const keys = buildKeySpace({ prefix: domain.keyPrefix, keyCount: o.keyCount, partitions: o.partitions, idlePartitions: o.idlePartitions }, root.fork('key-space'));
  const picker = createKeyPicker({ distribution: o.keyDistribution, keyCount: o.keyCount, zipfExponent: o.zipfExponent }, root.fork('key-picks'));
  const source = domain.createSource({ seed: o.seed, startTimeMs: o.startTimeMs, builtinPools, random: root.fork('domain') });
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

  const fresh = (index: number, eventTimeMs: number): MadeEvent & { schemaVersion: number } => {
    const schemaVersion = schemaVersionAt(index, o.drift, o.driftAtIndex);
    const made = source.next({ index, schemaVersion, eventTimeMs }, pickKey);
    if (schemaVersion === 2) made.payload = applyDrift(made, o.drift, domain, source, driftRandom);
    return { ...made, schemaVersion };
  };

  for (let index = 0; index < o.count; index++) {
    const clockMs = o.startTimeMs + Math.floor((index * 1000) / o.eventsPerSecond);
    const u = slots.next();

    if (u < poisonCut) {
      const eventTimeMs = clockMs - time.int(0, o.maxDisorderMs);
      const made = fresh(index, eventTimeMs);
      const poisonKind = o.poisonKinds[poisonCount++ % o.poisonKinds.length]!;
      const { value, schemaVersion } = makePoison(poisonKind, made, made.schemaVersion, domain, source, poisonRandom, o.oversizedBytes);
      yield { index, key: made.key, value, eventId: made.eventId, eventTimeMs, truth: { kind: 'poison', poisonKind, schemaVersion } };
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
    const made = fresh(index, eventTimeMs);
    const expectedLate = isLate(eventTimeMs);
    const record: GeneratedRecord = {
      index,
      key: made.key,
      value: Buffer.from(JSON.stringify(made.payload), 'utf8'),
      eventId: made.eventId,
      eventTimeMs,
      truth: { kind: expectedLate ? 'late' : 'valid', schemaVersion: made.schemaVersion, expectedLate },
    };
    if (originals.length < o.duplicateWindow) originals.push(record);
    else originals[nextSlot] = record;
    nextSlot = (nextSlot + 1) % o.duplicateWindow;
    if (eventTimeMs > maxEventTimeMs) maxEventTimeMs = eventTimeMs;
    yield record;
  }
}
