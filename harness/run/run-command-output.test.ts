import { describe, expect, it } from 'vitest';
import { formatProgress } from '../cli/run.ts';

describe('run command output', () => {
  it('formats a progress sample and a message', () => {
    expect(formatProgress({ scenario: 's', phase: 'fault', elapsedMs: 31_400, runMs: 85_000, rate: 199.6, lag: 12, activeFaults: ['broker.kill'] })).toBe('[s] fault    31s/85s rate 200/s lag 12 faults broker.kill');
    expect(formatProgress({ scenario: 's', phase: '-', elapsedMs: 0, runMs: 1, rate: undefined, lag: undefined, activeFaults: [], message: 'hello' })).toBe('[s] hello');
  });
});
