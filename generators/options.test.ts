import { describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/errors.ts';
import { generateEvents } from './generate-events.ts';
import { DEFAULT_OVERSIZED_BYTES, DEFAULT_START_TIME_MS, POISON_KINDS, resolveGeneratorOptions, type GeneratorOptions } from './options.ts';

const base: GeneratorOptions = { domain: 'orders', seed: 1, count: 10 };

function errorOf(options: unknown): HarnessError {
  try {
    resolveGeneratorOptions(options as GeneratorOptions);
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('resolveGeneratorOptions', () => {
  it('fills documented defaults', () => {
    const o = resolveGeneratorOptions(base);
    expect(o).toMatchObject({
      startTimeMs: DEFAULT_START_TIME_MS, eventsPerSecond: 1000, keyDistribution: 'uniform', keyCount: 1000, zipfExponent: 1,
      maxDisorderMs: 0, lateFraction: 0, latenessBoundMs: 30_000, duplicateFraction: 0, duplicateWindow: 100, poisonFraction: 0,
      oversizedBytes: DEFAULT_OVERSIZED_BYTES, drift: 'none', driftAtIndex: 5, partitions: undefined, idlePartitions: [],
    });
    expect(o.poisonKinds).toEqual([...POISON_KINDS]);
    expect(DEFAULT_START_TIME_MS).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(DEFAULT_OVERSIZED_BYTES).toBeGreaterThan(1024 * 1024);
  });

  it.each([
    [{ ...base, domain: 'payments' }, 'domain'],
    [{ ...base, seed: -1 }, 'seed'],
    [{ ...base, count: 1.5 }, 'count'],
    [{ ...base, eventsPerSecond: 0 }, 'eventsPerSecond'],
    [{ ...base, keyCount: 0 }, 'keyCount'],
    [{ ...base, zipfExponent: 1.2 }, 'zipfExponent'],
    [{ ...base, keyDistribution: 'zipf', zipfExponent: 0 }, 'zipfExponent'],
    [{ ...base, lateFraction: 1.5 }, 'lateFraction'],
    [{ ...base, poisonFraction: 0.6, duplicateFraction: 0.6 }, 'lateFraction + duplicateFraction + poisonFraction'],
    [{ ...base, poisonKinds: [] }, 'poisonKinds'],
    [{ ...base, poisonKinds: ['oversized', 'bogus'] }, 'poisonKinds[1]'],
    [{ ...base, poisonKinds: ['oversized', 'oversized'] }, 'poisonKinds'],
    [{ ...base, oversizedBytes: 100 }, 'oversizedBytes'],
    [{ ...base, drift: 'rename' }, 'drift'],
    [{ ...base, driftAtIndex: 3 }, 'driftAtIndex'],
    [{ ...base, idlePartitions: [1] }, 'idlePartitions'],
    [{ ...base, partitions: 3, idlePartitions: [0, 1, 2] }, 'idlePartitions'],
    [{ ...base, partitions: 3, idlePartitions: [3] }, 'idlePartitions[0]'],
    [{ ...base, colour: 'red' }, 'colour'],
  ])('rejects %j naming %s', (options, option) => {
    const error = errorOf(options);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(`generateEvents: '${option}' `)).toBe(true);
    expect(error.context.option).toBe(option);
  });

  it('validates eagerly, before the first record is pulled', () => {
    expect(() => generateEvents({ ...base, keyCount: -3 })).toThrow(HarnessError);
  });
});
