import type { Random } from '../harness/random.ts';
import type { Domain, DomainSource, MadeEvent } from './domain.ts';
import type { ResolvedGeneratorOptions } from './options.ts';
import { makePoison } from './poison.ts';
import type { GeneratedRecord } from './record.ts';

/** Where fresh events come from: a domain's generator, or a captured sample being replayed. */
export interface EventFeed {
  source: DomainSource;
  /** The logical clock of record `index` (its event time before disorder), or undefined when the feed has run out. */
  clockMs(index: number): number | undefined;
  /** The next fresh event, stamped with `eventTimeMs`. */
  make(index: number, eventTimeMs: number): MadeEvent & { schemaVersion: number };
}

/**
 * The knobs applied to a feed: each record is, by one uniform draw, poison (poisonFraction), a
 * duplicate of one of the last duplicateWindow originals (duplicateFraction), a deliberately late
 * event (lateFraction), or a fresh event; fresh events are stamped clock - U[0, maxDisorderMs]
 * (some moved onto a window boundary), late ones max-so-far - latenessBoundMs - U[1, latenessBoundMs].
 */
export function* stampRecords(o: ResolvedGeneratorOptions, domain: Domain, feed: EventFeed, root: Random): Generator<GeneratedRecord, void, undefined> {
  const slots = root.fork('slots');
  const time = root.fork('time');
  const poisonRandom = root.fork('poison');
  const duplicateRandom = root.fork('duplicates');
  const boundaryRandom = root.fork('boundary');

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

  for (let index = 0; index < o.count; index++) {
    const clockMs = feed.clockMs(index);
    if (clockMs === undefined) return;
    const u = slots.next();

    if (u < poisonCut) {
      const eventTimeMs = clockMs - time.int(0, o.maxDisorderMs);
      const made = feed.make(index, eventTimeMs);
      const asked = o.poisonKinds[poisonCount++ % o.poisonKinds.length]!;
      const { kind: poisonKind, value, schemaVersion } = makePoison(asked, made, made.schemaVersion, domain, feed.source, poisonRandom, o.oversizedBytes);
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
    const made = feed.make(index, eventTimeMs);
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
