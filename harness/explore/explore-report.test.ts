import { describe, expect, it } from 'vitest';
import type { ExploreResult } from './explore.ts';
import type { FaultSchedule, PlannedFault } from './fault-schedule.ts';
import { attemptLine, exploreReport, sideBySide } from './explore-report.ts';

const crash: PlannedFault = { type: 'sut.crash', atMs: 19_000, durationMs: 1000, attrs: { instance: 0 } };
const latency: PlannedFault = { type: 'net.latency', atMs: 6000, durationMs: 3000, attrs: { broker: 2, latency: 200 } };
const attempt = (index: number, stage: 'search' | 'shrink' | 'confirm', verdict: 'pass' | 'fail', schedule: FaultSchedule = [crash]) => ({ index, stage, verdict, problems: verdict === 'fail' ? 'duplicates✗' : '-', schedule, startedMs: 0, wallMs: 30_000 });

function result(confirmations: ('pass' | 'fail')[]): ExploreResult {
  const original = attempt(1, 'search', 'fail', [latency, { ...crash, atMs: 12_000, durationMs: 4000 }]);
  const minimal = attempt(3, 'shrink', 'fail');
  return {
    seed: 42, startPath: null, outcome: confirmations.includes('pass') ? 'flaky' : 'minimal', budgetExhausted: false,
    attempts: [original, attempt(2, 'shrink', 'pass', [latency]), minimal], original, originalPath: '0', minimal: { attempt: minimal, path: '0:1:0' },
    shrinkLog: [{ attempt: 2, schedule: [latency], verdict: 'pass', taken: false }, { attempt: 3, schedule: [crash], verdict: 'fail', taken: true }],
    confirmations, timings: { foundAtMs: 30_000, shrunkAtMs: 90_000, totalMs: 100_000 },
  };
}

describe('exploreReport', () => {
  it('shows the original and the minimal schedule side by side, and the replay line', () => {
    const lines = exploreReport(result(['fail', 'fail']), 'streamproof explore --seed 42 --path 0:1:0');
    const table = lines.slice(lines.indexOf('') + 1);
    expect(table[0]).toMatch(/^original \(attempt 1\)\s+│ {2}minimal \(attempt 3\)$/);
    expect(table[2]).toBe('net.latency {broker:2,latency:200} @6s for 3s  │  sut.crash {instance:0} @19s for 1s');
    expect(table[3]).toBe('sut.crash {instance:0} @12s for 4s             │');
    expect(lines).toContain('shrinking: 1 step(s) taken of 2 candidate(s)');
    expect(lines).toContain('confirmed: the minimal schedule failed 2 of 2 re-runs');
    expect(lines.at(-1)).toBe('replay: streamproof explore --seed 42 --path 0:1:0');
  });

  it('says FLAKY when a re-run of the minimal schedule passes', () => {
    expect(exploreReport(result(['fail', 'pass']), 'r').join('\n')).toContain('FLAKY: the minimal schedule failed 1 of 2 re-runs');
  });
});

describe('sideBySide / attemptLine', () => {
  it('pads the left column to its widest line', () => {
    expect(sideBySide('a', ['long line'], 'b', ['x', 'y'])).toEqual(['a          │  b', '─────────  │  ─', 'long line  │  x', '           │  y']);
  });
  it('marks shrink steps taken and refused', () => {
    expect(attemptLine(attempt(3, 'shrink', 'fail'))).toBe('#3 shrink  FAIL    1 fault: sut.crash@19s/1s — duplicates✗ (step taken) (30.0 s)');
    expect(attemptLine(attempt(2, 'shrink', 'pass'))).toContain('(step refused)');
  });
});

describe('describeSchedule', () => {
  it('cuts long attribute lists to two items', async () => {
    const { describeFault } = await import('./fault-schedule.ts');
    expect(describeFault({ type: 'data.poison-burst', atMs: 14_000, durationMs: 1000, attrs: { count: 50, kinds: ['a', 'b', 'c', 'd'] } })).toBe('data.poison-burst {count:50,kinds:[a,b,+2]} @14s for 1s');
  });
});
