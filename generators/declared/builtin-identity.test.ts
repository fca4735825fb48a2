import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collectEvents } from '../generate-events.ts';
import type { GeneratorOptions } from '../options.ts';

/**
 * The built-in domains became domain files (generators/domains/*.domain.json). These hashes are
 * of the records the hand-written TypeScript domains made at commit 8d411f0, for the same
 * options: the files must make the same bytes (keys, values and ground truth), every knob on.
 */
const KNOBS = {
  keyDistribution: 'zipf', zipfExponent: 1.2, keyCount: 300, maxDisorderMs: 2000, lateFraction: 0.01, duplicateFraction: 0.02,
  duplicateWindow: 2000, poisonFraction: 0.02, boundaryFraction: 0.5, oversizedBytes: 4096,
} as const;
const CASES: [Omit<GeneratorOptions, 'domain'>, Record<'orders' | 'clickstream' | 'iot', string>][] = [
  [{ seed: 11, count: 20000 }, { orders: 'd9572e25e7eabc17', clickstream: '3b13982e870dc522', iot: '995eae8f441d9675' }],
  [{ seed: 7, count: 20000, ...KNOBS }, { orders: '5f46218291228f10', clickstream: 'c025c5975960f579', iot: 'd5ed26d000dcc327' }],
  [{ seed: 3, count: 5000, drift: 'add-optional', poisonFraction: 0.05, oversizedBytes: 4096 }, { orders: 'e83d93c7179d2a92', clickstream: '1d8ea4cfc72772c8', iot: '8c8be969a4a11565' }],
  [{ seed: 4, count: 5000, drift: 'breaking-rename', poisonFraction: 0.05, oversizedBytes: 4096 }, { orders: '2a10278c17f002e7', clickstream: '00078bda29d7944d', iot: 'b91e18813575cf43' }],
];

function digest(options: GeneratorOptions): string {
  const hash = createHash('sha256');
  for (const r of collectEvents(options)) {
    hash.update(r.key).update('\0').update(r.value).update('\0').update(JSON.stringify(r.truth)).update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

describe('built-in domains as files', () => {
  it.each(CASES.flatMap(([options, hashes]) => Object.entries(hashes).map(([domain, hash]) => [domain, options, hash] as const)))(
    '%s makes the bytes the hand-written domain made (%o)',
    (domain, options, hash) => {
      expect(digest({ ...options, domain: domain as 'orders' })).toBe(hash);
    },
  );
});
