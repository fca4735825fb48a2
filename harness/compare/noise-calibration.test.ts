import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { calibrateNoise } from './noise-calibration.ts';
import { diffRecords, type OutputRecord } from './record-diff.ts';

/** One baseline copy: deterministic business fields, a processing timestamp and a run id that differ per copy. */
function baselineCopy(copy: number, size: number, random: Random): OutputRecord[] {
  return Array.from({ length: size }, (_, i) => ({
    key: `k${i}`,
    value: {
      total: i * 3,
      // a float sum whose last bits depend on arrival order in roughly one record in ten
      avg: i % 10 === 0 && copy === 1 ? 0.1 + 0.2 + 1e-6 : 0.3,
      processedAt: 1_700_000_000_000 + random.int(0, 1e6),
      meta: { runId: `run-${copy}-${i}` },
    },
    position: i,
    eventTimeMs: i,
  }));
}

describe('calibrateNoise', () => {
  const random = new Random(1);
  const first = baselineCopy(0, 200, random.fork('a'));
  const second = baselineCopy(1, 200, random.fork('b'));

  it('learns the fields that differ in (nearly) every A/A pair as noise, with their rates', () => {
    const calibration = calibrateNoise(first, second);
    expect(calibration.compared).toBe(200);
    expect(calibration.ignoreFields.sort()).toEqual(['meta.runId', 'processedAt']);
    expect(calibration.noise.find((f) => f.field === 'meta.runId')?.rate).toBe(1);
    expect(calibration.noise.find((f) => f.field === 'processedAt')?.rate).toBeGreaterThan(0.99);
    expect(calibration.unstable).toEqual([{ field: 'avg', rate: 0.1 }]);
    expect(calibration.sufficient).toBe(true);
    expect(calibration.notes).toEqual([]);
  });

  it('makes the A/B diff ignore the noise and still see a real change', () => {
    const calibration = calibrateNoise(first, second);
    const candidate = baselineCopy(0, 200, random.fork('c')).map((r, i) => (i === 7 ? { ...r, value: { ...(r.value as object), total: -1 } } : r));
    const diff = diffRecords(first, candidate, { noise: calibration.noise, noiseCompared: calibration.compared });
    const changed = diff.classes.find((c) => c.class === 'changed');
    expect(changed?.count).toBe(1);
    expect(changed?.examples[0]?.fields).toEqual(['total']);
    expect(diff.noiseCompared).toBe(200);
  });

  it('notes a non-deterministic baseline and a calibration on too few pairs', () => {
    const calibration = calibrateNoise(first.slice(0, 10), second.slice(0, 9));
    expect(calibration.sufficient).toBe(false);
    expect(calibration.notes).toHaveLength(2);
    expect(calibration.notes[0]).toMatch(/1 missing record/);
    expect(calibration.notes[1]).toMatch(/only 9 record pair/);
  });

  it('honours a stricter minimum rate and rejects a meaningless one', () => {
    expect(calibrateNoise(first, second, { minRate: 0.05 }).ignoreFields).toContain('avg');
    expect(() => calibrateNoise(first, second, { minRate: 0 })).toThrow(/minRate/);
  });
});
