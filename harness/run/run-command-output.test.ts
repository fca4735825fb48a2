import { describe, expect, it } from 'vitest';
import type { RunResult } from './run-result.ts';
import { formatProgress, problems, summaryTable } from '../cli/run.ts';

const result = (over: Partial<RunResult> = {}): RunResult => ({
  scenario: 'leader-kill',
  verdict: 'fail',
  checks: [
    { checker: 'lost', valid: false, summary: '3 lost', counts: { lost: 3 }, examples: [] },
    { checker: 'order', valid: true, summary: 'ok', counts: {}, examples: [] },
  ],
  slas: [{ scope: 'fault', threshold: 'e2e_latency.p99 < 15s', measured: 20123.456, passed: false }, { scope: 'run', threshold: 'lost == 0', measured: null, passed: 'unknown' }],
  metrics: null,
  seed: 42,
  replay: 'streamproof run scenarios/02-leader-kill.ts --seed 42',
  runDir: '/tmp/x',
  notes: [],
  ...over,
});

describe('run command output', () => {
  it('formats a progress sample and a message', () => {
    expect(formatProgress({ scenario: 's', phase: 'fault', elapsedMs: 31_400, runMs: 85_000, rate: 199.6, lag: 12, activeFaults: ['broker.kill'] })).toBe('[s] fault    31s/85s rate 200/s lag 12 faults broker.kill');
    expect(formatProgress({ scenario: 's', phase: '-', elapsedMs: 0, runMs: 1, rate: undefined, lag: undefined, activeFaults: [], message: 'hello' })).toBe('[s] hello');
  });

  it('lists what did not hold', () => {
    expect(problems(result())).toBe('lost✗; fault:e2e_latency.p99 < 15s✗ (20123.46); run:lost == 0?');
    expect(problems(result({ checks: [], slas: [] }))).toBe('-');
  });

  it('prints one row per scenario with its replay command', () => {
    const lines = summaryTable([result()], [{ scenario: 'other', error: 'streamproof: TIMEOUT: x' }]);
    expect(lines[0]).toMatch(/^scenario\s+verdict\s+seed\s+not holding\s+replay/);
    expect(lines[1]).toContain('FAIL');
    expect(lines[1]).toContain('--seed 42');
    expect(lines[2]).toContain('ERROR');
  });
});
