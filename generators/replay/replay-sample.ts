import { HarnessError } from '../../harness/errors.ts';
import { Random } from '../../harness/random.ts';
import { domainOf } from '../domain-of.ts';
import type { MadeEvent } from '../domain.ts';
import { createFakerPools, type FakerPools } from '../faker-pools.ts';
import { resolveGeneratorOptions, type DomainChoice, type GeneratorOptions } from '../options.ts';
import type { GeneratedRecord } from '../record.ts';
import { stampRecords, type EventFeed } from '../record-stream.ts';
import type { Sample } from './sample-file.ts';

/** The generator knobs a replay takes: the sample brings its own keys, pacing and schema versions. */
export type ReplayKnobs = Omit<GeneratorOptions, 'domain' | 'seed' | 'count' | 'eventsPerSecond' | 'keyDistribution' | 'keyCount' | 'zipfExponent' | 'drift' | 'driftAtIndex' | 'idlePartitions'>;

const NOT_FOR_REPLAY = ['eventsPerSecond', 'keyDistribution', 'keyCount', 'zipfExponent', 'drift', 'driftAtIndex', 'idlePartitions'] as const;

export interface ReplayOptions extends ReplayKnobs {
  domain: DomainChoice;
  sample: Sample;
  seed: number;
  /** Records at most (duplicates included); default: until the sample runs out. */
  count?: number;
  /** Fraction of events moved onto the sample's hottest key (its most frequent one). Default 0. */
  hotKeyFraction?: number;
  /** Pacing: the sample's own gaps divided by this factor (10 = ten times faster). Default 1. */
  speed?: number;
}

export interface Replay {
  records: GeneratedRecord[];
  /** When each record is due (ms from the start) at the sample's pacing divided by `speed`. */
  dueMs: number[];
}

function invalid(option: string, message: string, value: unknown): never {
  throw new HarnessError('CONFIG_INVALID', `replay: '${option}' ${message}, got ${JSON.stringify(value)}`, { context: { option, value } });
}

/**
 * Replays a captured sample with the generator's knobs: event times shifted so the first event
 * is at `startTimeMs` (the run's time anchor), gaps and keys kept; poison, duplicates, late
 * events, disorder, window boundaries and a hot key added on top. A fresh id only where the
 * sample has none. Same seed and files: byte-identical records.
 */
export function replaySample(options: ReplayOptions): Replay {
  const { sample, seed, speed = 1, hotKeyFraction = 0, ...knobs } = options;
  for (const name of NOT_FOR_REPLAY) if (name in knobs) invalid(name, 'does not apply to a replay (the sample brings its own keys, pacing and schema versions)', (knobs as Record<string, unknown>)[name]);
  if (typeof speed !== 'number' || !(speed > 0) || !Number.isFinite(speed)) invalid('speed', 'must be a number above 0', speed);
  if (typeof hotKeyFraction !== 'number' || hotKeyFraction < 0 || hotKeyFraction > 1) invalid('hotKeyFraction', 'must be a number from 0 to 1', hotKeyFraction);
  const o = resolveGeneratorOptions({ ...knobs, domain: options.domain, seed, count: options.count ?? 1_000_000_000 });
  const domain = domainOf(o.domain);
  const { roles } = domain;
  const root = new Random(seed);
  let pools: FakerPools | undefined;
  const source = domain.createSource({ seed, startTimeMs: o.startTimeMs, builtinPools: () => (pools ??= createFakerPools(root.fork('faker'), o.startTimeMs)), random: root.fork('domain') });
  const hotKeys = root.fork('hot-keys');
  const hottest = hottestKey(sample);

  const events = sample.events;
  const firstMs = events[0]!.timeMs;
  let next = 0;
  let paceMs = firstMs;
  let dueOfLast = 0;
  const feed: EventFeed = {
    source,
    clockMs() {
      const event = events[next];
      if (event === undefined) return undefined;
      paceMs = Math.max(paceMs, event.timeMs);
      dueOfLast = (paceMs - firstMs) / speed;
      return o.startTimeMs + (event.timeMs - firstMs);
    },
    make(index, eventTimeMs): MadeEvent & { schemaVersion: number } {
      const event = events[next++]!;
      const payload = { ...event.fields };
      payload[roles.eventTime] = domain.eventTime.format(eventTimeMs);
      const eventId = event.eventId ?? domain.eventIdOf(seed, index);
      if (event.eventId === undefined) payload[roles.eventId] = eventId;
      let key = event.key;
      if (hotKeyFraction > 0 && hotKeys.chance(hotKeyFraction)) {
        key = hottest;
        payload[roles.key!] = typeof event.fields[roles.key!] === 'number' ? Number(hottest) : hottest;
      }
      return { payload, key, eventId, schemaVersion: event.schemaVersion };
    },
  };
  const records: GeneratedRecord[] = [];
  const dueMs: number[] = [];
  for (const record of stampRecords(o, domain, feed, root)) {
    records.push(record);
    dueMs.push(dueOfLast);
  }
  return { records, dueMs };
}

/** The sample's most frequent key (the first of the most frequent, for determinism). */
function hottestKey(sample: Sample): string {
  const counts = new Map<string, number>();
  let best = sample.events[0]!.key;
  for (const { key } of sample.events) {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > counts.get(best)!) best = key;
  }
  return best;
}
