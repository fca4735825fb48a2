import { Random } from '../harness/random.ts';
import { domainOf } from './domain-of.ts';
import { createFakerPools, type FakerPools } from './faker-pools.ts';
import { createKeyPicker } from './key-picker.ts';
import { buildKeySpace } from './key-space.ts';
import { resolveGeneratorOptions, type GeneratorOptions, type ResolvedGeneratorOptions } from './options.ts';
import type { GeneratedRecord } from './record.ts';
import { stampRecords, type EventFeed } from './record-stream.ts';
import { applyDrift, schemaVersionAt } from './schema-drift.ts';

/**
 * Synthetic events, lazily: options are validated now (CONFIG_INVALID on bad input), records
 * are built as the iterator is consumed, so 100k+ events never sit in memory at once.
 *
 * Record i's logical clock is startTimeMs + floor(i * 1000 / eventsPerSecond); the knobs (poison,
 * duplicates, lateness, disorder, boundaries) are applied by stampRecords (record-stream.ts),
 * which a replayed sample shares.
 */
export function generateEvents(options: GeneratorOptions): IterableIterator<GeneratedRecord> {
  return run(resolveGeneratorOptions(options));
}

/** All records in an array (for tests and small runs). */
export function collectEvents(options: GeneratorOptions): GeneratedRecord[] {
  return [...generateEvents(options)];
}

function run(o: ResolvedGeneratorOptions): Generator<GeneratedRecord, void, undefined> {
  const root = new Random(o.seed);
  const domain = domainOf(o.domain);
  // Separate forks per concern: turning one knob does not reshuffle the others' draws.
  let pools: FakerPools | undefined;
  const builtinPools = () => (pools ??= createFakerPools(root.fork('faker'), o.startTimeMs));
  const keys = buildKeySpace({ prefix: domain.keyPrefix, keyCount: o.keyCount, partitions: o.partitions, idlePartitions: o.idlePartitions }, root.fork('key-space'));
  const picker = createKeyPicker({ distribution: o.keyDistribution, keyCount: o.keyCount, zipfExponent: o.zipfExponent }, root.fork('key-picks'));
  const source = domain.createSource({ seed: o.seed, startTimeMs: o.startTimeMs, builtinPools, random: root.fork('domain') });
  const driftRandom = root.fork('drift');
  const pickKey = () => keys[picker.pick()]!;
  const feed: EventFeed = {
    source,
    clockMs: (index) => o.startTimeMs + Math.floor((index * 1000) / o.eventsPerSecond),
    make(index, eventTimeMs) {
      const schemaVersion = schemaVersionAt(index, o.drift, o.driftAtIndex, o.driftLagFraction);
      const made = source.next({ index, schemaVersion, eventTimeMs }, pickKey);
      if (schemaVersion === 2) made.payload = applyDrift(made, o.drift, domain, source, driftRandom);
      return { ...made, schemaVersion };
    },
  };
  return stampRecords(o, domain, feed, root);
}
