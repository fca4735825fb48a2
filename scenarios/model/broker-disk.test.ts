import { describe, expect, it } from 'vitest';
import { parseScenario } from './define-scenario.ts';
import type { ScenarioInput } from './scenario.ts';

const base = (): ScenarioInput => ({
  name: 'disk-example',
  description: 'brokerDiskMb parsing',
  phases: [
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '20s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  checkers: ['lost'],
});
const parse = (over: Record<string, unknown>) => parseScenario({ ...base(), ...over }, 'scenarios/x.ts');

describe('brokerDiskMb', () => {
  it('is undefined unless asked for or implied by disk.full', () => {
    expect(parse({}).brokerDiskMb).toBeUndefined();
    expect(parse({ brokerDiskMb: 64 }).brokerDiskMb).toBe(64);
  });

  it('defaults to 256 MB when a fault or the fault mix names disk.full', () => {
    expect(parse({ faults: [{ at: 'phase:fault', type: 'disk.full', attrs: { broker: 'follower', topic: '$input' } }] }).brokerDiskMb).toBe(256);
    expect(parse({ faultMix: { count: 1, types: { 'disk.full': 1 }, minDuration: '5s', maxDuration: '10s' } }).brokerDiskMb).toBe(256);
    expect(parse({ brokerDiskMb: 32, faults: [{ at: 'phase:fault', type: 'disk.full' }] }).brokerDiskMb).toBe(32);
  });

  it.each([
    [8, /brokerDiskMb: expected a number >= 16/],
    [5000, /brokerDiskMb: expected a number <= 4096/],
    [64.5, /brokerDiskMb: expected a whole number/],
    ['64m', /brokerDiskMb: expected a number/],
  ])('rejects %j with its path', (value, message) => {
    expect(() => parse({ brokerDiskMb: value })).toThrow(message);
  });

  it('parses disk.full attributes strictly', () => {
    const at = (attrs: Record<string, unknown>) => parse({ faults: [{ at: 'phase:fault', type: 'disk.full', attrs }] });
    expect(at({ broker: 2 }).faults[0]!.parsed).toEqual({ kind: 'id', id: 2 });
    expect(at({ broker: 'follower', topic: 't', partition: 1 }).faults[0]!.parsed).toEqual({ kind: 'follower', topic: 't', partition: 1 });
    expect(() => at({ broker: 'follower' })).toThrow(/faults\[0\]\.attrs\.topic: expected a non-empty string/);
    expect(() => at({ bytes: 10 })).toThrow(/faults\[0\]\.attrs.*bytes/);
    expect(() => at({ broker: 4 })).toThrow(/faults\[0\]\.attrs\.broker: expected a broker id from 1 to 3/);
  });
});
