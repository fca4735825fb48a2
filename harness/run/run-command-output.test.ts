import { describe, expect, it } from 'vitest';
import { formatProgress, parseEventTimeOrigin } from '../cli/run.ts';

describe('run command output', () => {
  it('formats a progress sample and a message', () => {
    expect(formatProgress({ scenario: 's', phase: 'fault', elapsedMs: 31_400, runMs: 85_000, rate: 199.6, lag: 12, activeFaults: ['broker.kill'] })).toBe('[s] fault    31s/85s rate 200/s lag 12 faults broker.kill');
    expect(formatProgress({ scenario: 's', phase: '-', elapsedMs: 0, runMs: 1, rate: undefined, lag: undefined, activeFaults: [], message: 'hello' })).toBe('[s] hello');
  });

  it('reads --event-time-origin as epoch ms, and rejects anything else with a usage error', () => {
    expect(parseEventTimeOrigin(undefined)).toBeUndefined();
    expect(parseEventTimeOrigin('1796170800000')).toBe(1_796_170_800_000);
    for (const bad of ['-1', '1.5', 'now', '', '1e12', '99999999999999999']) expect(() => parseEventTimeOrigin(bad)).toThrow(/USAGE|--event-time-origin takes epoch milliseconds/);
  });
});
