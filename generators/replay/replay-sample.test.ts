import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineDomain } from '../declared/domain-file.ts';
import type { DomainSpec } from '../declared/domain-spec.ts';
import { replaySample } from './replay-sample.ts';
import { readSample } from './sample-file.ts';

const spec: DomainSpec = {
  name: 'shipments', keyPrefix: 'wh', eventTimeFormat: 'iso',
  fields: { shipment_id: '$eventId', at: '$eventTime', warehouse: '$key', weight_kg: { const: 0 } },
  poison: { wrongType: { field: 'weight_kg', value: { const: 'heavy' } } },
};
const dir = mkdtempSync(join(tmpdir(), 'replay-'));
const T0 = Date.UTC(2025, 5, 1, 12);

/** 10,000 captured events, 10 per second of their own time, 20 warehouses, every 100th without an id. */
function sampleFile(): string {
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const event: Record<string, unknown> = { at: new Date(T0 + i * 100).toISOString(), warehouse: `wh-${i % 20}`, weight_kg: (i % 37) + 0.5 };
    if (i % 100 !== 0) event.shipment_id = `S${i}`;
    lines.push(JSON.stringify(event));
  }
  const path = join(dir, 'shipments.ndjson');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('replaySample', () => {
  const path = sampleFile();
  const domain = defineDomain(spec);
  const sample = readSample(path, domain);
  const replay = (seed: number) =>
    replaySample({ domain: spec, sample, seed, speed: 10, startTimeMs: Date.UTC(2026, 0, 1), lateFraction: 0.01, latenessBoundMs: 30_000, poisonFraction: 0.01, poisonKinds: ['wrong-type', 'malformed-json'] });

  it('keeps keys and gaps, moves times to the anchor, paces at the sample rate times the speed', () => {
    const { records, dueMs } = replay(1);
    const fresh = records.filter((r) => r.truth.kind === 'valid');
    const first = JSON.parse(fresh[0]!.value.toString());
    expect(first.at).toBe('2026-01-01T00:00:00.000Z');
    expect(fresh.every((r) => r.key === JSON.parse(r.value.toString()).warehouse)).toBe(true);
    // 10,000 events over 1,000 s of their own time, at 10x: 100 s, 100 events/s.
    expect(dueMs[dueMs.length - 1]).toBe(99_990);
    expect(records.length / (dueMs[dueMs.length - 1]! / 1000)).toBeCloseTo(100, -1);
  });

  it('adds 1% late and 1% poison within tolerance, and keeps ids (a fresh one only where the sample has none)', () => {
    const { records } = replay(1);
    const late = records.filter((r) => r.truth.kind === 'late').length / records.length;
    const poison = records.filter((r) => r.truth.kind === 'poison');
    expect(late).toBeGreaterThan(0.007);
    expect(late).toBeLessThan(0.013);
    expect(poison.length / records.length).toBeGreaterThan(0.007);
    expect(poison.length / records.length).toBeLessThan(0.013);
    expect(poison.some((r) => r.value.toString().includes('"weight_kg":"heavy"'))).toBe(true);
    const ids = records.filter((r) => r.truth.kind !== 'poison').map((r) => r.eventId);
    expect(ids.filter((id) => id.startsWith('S')).length).toBeGreaterThan(9_500);
    expect(ids.filter((id) => id.startsWith('shipments-1-')).length).toBeGreaterThan(50);
  });

  it('is byte-identical for one seed and sample, different for another seed', () => {
    const bytes = (seed: number) => Buffer.concat(replay(seed).records.map((r) => r.value));
    expect(bytes(7).equals(bytes(7))).toBe(true);
    expect(bytes(7).equals(bytes(8))).toBe(false);
  });

  it('moves a fraction onto the hottest key, and refuses knobs a sample brings itself', () => {
    const hot = replaySample({ domain: spec, sample, seed: 2, hotKeyFraction: 0.5 }).records;
    expect(hot.filter((r) => r.key === 'wh-0').length / hot.length).toBeGreaterThan(0.45);
    expect(() => replaySample({ domain: spec, sample, seed: 2, keyCount: 5 } as never)).toThrow("'keyCount' does not apply to a replay");
  });

  it('makes a replayed event that lacks the field a poison kind breaks malformed instead (never a poison that parses fine)', () => {
    const bare = join(dir, 'bare.ndjson');
    writeFileSync(bare, Array.from({ length: 300 }, (_, i) => JSON.stringify({ at: new Date(T0 + i).toISOString(), warehouse: 'wh-1' })).join('\n'));
    const records = replaySample({ domain: spec, sample: readSample(bare, domain), seed: 3, poisonFraction: 0.2, poisonKinds: ['wrong-type'] }).records;
    const poison = records.filter((r) => r.truth.kind === 'poison');
    expect(poison.length).toBeGreaterThan(30);
    expect(poison.every((r) => r.truth.poisonKind === 'malformed-json')).toBe(true);
    for (const r of poison) expect(() => JSON.parse(r.value.toString())).toThrow();
  });

  it('names the line of a bad sample', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, `{"at":"2025-06-01T12:00:00Z","warehouse":"wh-1"}\n{"at":12,"warehouse":"wh-1"}\n`);
    expect(() => readSample(bad, domain)).toThrow(`${bad}:2: 'at' is not an event time in the domain's format: 12`);
  });
});
