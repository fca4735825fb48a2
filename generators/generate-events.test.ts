import { describe, expect, it } from 'vitest';
import { collectEvents, generateEvents } from './generate-events.ts';
import { zipfTopShare } from './key-picker.ts';
import { kafkaPartition } from './murmur2.ts';
import { DOMAIN_NAMES, type GeneratorOptions } from './options.ts';
import type { GeneratedRecord } from './record.ts';

const knobs = {
  keyDistribution: 'zipf', zipfExponent: 1.1, maxDisorderMs: 2000, lateFraction: 0.02, latenessBoundMs: 1000,
  duplicateFraction: 0.03, poisonFraction: 0.02, oversizedBytes: 4096, drift: 'add-optional',
} as const;

const bytes = (records: GeneratedRecord[]) => Buffer.concat(records.flatMap((r) => [Buffer.from(`${r.key}\0`), r.value, Buffer.from('\n')]));

describe('generateEvents', () => {
  it.each(DOMAIN_NAMES)('is deterministic for %s: same seed gives identical bytes, another seed differs', (domain) => {
    const options: GeneratorOptions = { domain, seed: 42, count: 1000, ...knobs };
    const first = collectEvents(options);
    const second = collectEvents(options);
    expect(bytes(first).equals(bytes(second))).toBe(true);
    expect(second.map((r) => r.truth)).toEqual(first.map((r) => r.truth));
    expect(bytes(collectEvents({ ...options, seed: 43 })).equals(bytes(first))).toBe(false);
  });

  it('is lazy: a huge count costs nothing until pulled', () => {
    const iterator = generateEvents({ domain: 'iot', seed: 1, count: 1_000_000_000 });
    const firstFive = Array.from({ length: 5 }, () => iterator.next().value as GeneratedRecord);
    expect(firstFive.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('stamps every fresh event with envelope fields matching the record', () => {
    for (const record of collectEvents({ domain: 'orders', seed: 5, count: 500, drift: 'add-optional' })) {
      const event = JSON.parse(record.value.toString('utf8'));
      expect(event.event_id).toBe(record.eventId);
      expect(event.key).toBe(record.key);
      expect(event.event_time_ms).toBe(record.eventTimeMs);
      expect(event.schema_version).toBe(record.truth.schemaVersion);
      expect(record.truth.schemaVersion).toBe(record.index < 250 ? 1 : 2);
    }
  });

  it('advances a logical clock at eventsPerSecond and bounds disorder by maxDisorderMs', () => {
    const start = Date.UTC(2030, 5, 1);
    const records = collectEvents({ domain: 'iot', seed: 9, count: 2000, startTimeMs: start, eventsPerSecond: 100, maxDisorderMs: 300 });
    let shifted = 0;
    for (const r of records) {
      const clock = start + Math.floor(r.index * 10);
      expect(r.eventTimeMs).toBeLessThanOrEqual(clock);
      expect(r.eventTimeMs).toBeGreaterThanOrEqual(clock - 300);
      if (r.eventTimeMs < clock) shifted++;
    }
    expect(shifted).toBeGreaterThan(1900);
  });

  it('marks late events exactly: older than max-so-far minus latenessBoundMs', () => {
    const records = collectEvents({ domain: 'clickstream', seed: 11, count: 10_000, ...knobs });
    let max = -Infinity;
    let late = 0;
    for (const r of records) {
      if (r.truth.kind === 'poison') {
        expect(r.truth.expectedLate).toBeUndefined();
        continue;
      }
      const expected = r.eventTimeMs < max - knobs.latenessBoundMs;
      expect(r.truth.expectedLate).toBe(expected);
      if (r.truth.kind !== 'duplicate') expect(r.truth.kind).toBe(expected ? 'late' : 'valid');
      if (r.truth.kind === 'late') late++;
      max = Math.max(max, r.eventTimeMs);
    }
    // disorder (2 s) exceeds the bound (1 s), so some on-schedule events are late too
    expect(late / records.length).toBeGreaterThan(knobs.lateFraction * 0.8);
  });

  it('re-sends duplicates byte for byte within the window and keeps event_ids otherwise unique', () => {
    const records = collectEvents({ domain: 'orders', seed: 3, count: 10_000, ...knobs, duplicateWindow: 50 });
    const ids = new Set<string>();
    let duplicates = 0;
    for (const r of records) {
      if (r.truth.kind === 'duplicate') {
        duplicates++;
        const original = records[r.truth.duplicateOf!]!;
        expect(original.truth.kind === 'valid' || original.truth.kind === 'late').toBe(true);
        expect(r.value.equals(original.value)).toBe(true);
        expect(r.eventId).toBe(original.eventId);
        expect(r.key).toBe(original.key);
        expect(r.truth.schemaVersion).toBe(original.truth.schemaVersion);
        expect(r.index).toBeGreaterThan(original.index);
        continue;
      }
      expect(ids.has(r.eventId)).toBe(false);
      ids.add(r.eventId);
    }
    expect(Math.abs(duplicates / records.length - knobs.duplicateFraction)).toBeLessThan(0.005);
  });

  it('stamps events exactly on window boundaries (boundaryFraction), within the disorder, without reshuffling other draws', () => {
    const base = { domain: 'orders', seed: 9, count: 30_000, eventsPerSecond: 100, startTimeMs: 1_767_225_600_000, maxDisorderMs: 2000, duplicateFraction: 0.02 } as const;
    const plain = collectEvents(base);
    const records = collectEvents({ ...base, boundaryFraction: 1, boundaryWindowMs: 60_000 });
    const fresh = records.filter((r) => r.truth.kind === 'valid');
    const at = fresh.filter((r) => r.eventTimeMs % 60_000 === 0).length;
    const before = fresh.filter((r) => r.eventTimeMs % 60_000 === 59_999).length;
    // 300 s of clock, 5 boundaries, each within reach of 2 s of events (200 at 100/s): about 1,000 moved, half each side.
    expect(at + before).toBeGreaterThan(800);
    expect(Math.abs(at - before)).toBeLessThan((at + before) * 0.2);
    records.forEach((r, i) => {
      const clock = base.startTimeMs + Math.floor((i * 1000) / 100);
      if (r.truth.kind === 'valid') expect(r.eventTimeMs).toBeGreaterThanOrEqual(clock - 2000);
    });
    // Keys, kinds and payloads other than the event time are the plain stream's.
    expect(records.map((r) => `${r.key}/${r.truth.kind}/${r.eventId}`)).toEqual(plain.map((r) => `${r.key}/${r.truth.kind}/${r.eventId}`));
    expect(() => collectEvents({ ...base, maxDisorderMs: 0, boundaryFraction: 0.5 })).toThrow(/boundaryFraction/);
  });

  it('emits poison at the configured fraction with every kind present', () => {
    const records = collectEvents({ domain: 'iot', seed: 8, count: 10_000, ...knobs });
    const poison = records.filter((r) => r.truth.kind === 'poison');
    expect(Math.abs(poison.length / records.length - knobs.poisonFraction)).toBeLessThan(0.005);
    const kinds = new Set(poison.map((r) => r.truth.poisonKind));
    expect(kinds).toEqual(new Set(['malformed-json', 'wrong-type', 'missing-field', 'oversized', 'unknown-schema-version']));
  });

  it('shows Zipf skew in the output: the top key share matches theory', () => {
    const records = collectEvents({ domain: 'iot', seed: 21, count: 50_000, keyDistribution: 'zipf', zipfExponent: 1.2, keyCount: 200 });
    const counts = new Map<string, number>();
    for (const r of records) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
    const top = Math.max(...counts.values()) / records.length;
    expect(Math.abs(top - zipfTopShare(200, 1.2))).toBeLessThan(0.015);
  });

  it('leaves idle partitions empty under the default partitioner', () => {
    for (const domain of DOMAIN_NAMES) {
      const records = collectEvents({ domain, seed: 4, count: 3000, keyCount: 300, partitions: 8, idlePartitions: [2, 5, 7], poisonFraction: 0.05, oversizedBytes: 4096 });
      const used = new Set(records.map((r) => kafkaPartition(r.key, 8)));
      expect([...used].sort()).toEqual([0, 1, 3, 4, 6]);
    }
  });

  it('generates 100k orders with every knob on in a few seconds', () => {
    const began = performance.now();
    let n = 0;
    for (const _ of generateEvents({ domain: 'orders', seed: 1, count: 100_000, ...knobs })) n++;
    expect(n).toBe(100_000);
    expect(performance.now() - began).toBeLessThan(15_000); // ~1.3 s on an idle 2-core machine; generous for a loaded CI box
  });
});
