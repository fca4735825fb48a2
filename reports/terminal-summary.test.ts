import { describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/run/run-result.ts';
import { notHolding, skippedLines, terminalSummary } from './terminal-summary.ts';

const result = (over: Partial<RunResult>): RunResult => ({
  scenario: 'leader-kill', verdict: 'pass', checks: [{ checker: 'lost', valid: true, summary: '', counts: {}, examples: [] }],
  slas: [{ scope: 'run', threshold: 'lost == 0', measured: 0, passed: true }], metrics: null, seed: 7,
  replay: 'streamproof run scenarios/02-leader-kill.ts --seed 7', runDir: '/tmp/x', notes: [], ...over,
});
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('terminalSummary', () => {
  it('has a row per run with checks and SLAs held, what did not hold and the replay command', () => {
    const failing = result({
      scenario: 'crash-restart', verdict: 'fail', seed: 1, replay: 'streamproof run scenarios/11-crash-restart.ts --seed 1',
      checks: [{ checker: 'lost', valid: false, summary: '', counts: {}, examples: [] }, { checker: 'order', valid: 'unknown', summary: '', counts: {}, examples: [] }],
      slas: [{ scope: 'steady', threshold: 'e2e_latency.p99 < 2s', measured: 4178.194, passed: false }],
    });
    const lines = terminalSummary([result({}), failing], [{ scenario: 'broker-pause', error: 'streamproof: TIMEOUT: lab' }]).map(plain);
    expect(lines[0]).toMatch(/^scenario\s+verdict\s+seed\s+checks\s+SLAs\s+not holding\s+replay$/);
    expect(lines[1]).toMatch(/^leader-kill\s+PASS\s+7\s+1\/1\s+1\/1\s+-\s+streamproof run scenarios\/02-leader-kill.ts --seed 7$/);
    expect(lines[2]).toContain('FAIL');
    expect(lines[2]).toContain('0/2');
    expect(lines[2]).toContain('lost✗; order?; steady:e2e_latency.p99 < 2s✗ (4178.19)');
    expect(lines[3]).toMatch(/^broker-pause\s+ERROR/);
    // Columns line up: every row has its verdict where the header has it.
    const at = lines[0]!.indexOf('verdict');
    expect(lines.slice(1).every((l) => /[A-Z]/.test(l[at]!))).toBe(true);
  });

  it('does not count a skipped check as held: judged count, "+N skipped" and a line with the reason', () => {
    const skipped = { checker: 'order', valid: true as const, summary: 'skipped: the SUT does not promise per-key order', counts: {}, examples: [], skipped: 'the SUT does not promise per-key order' };
    const withSkip = result({ checks: [...result({}).checks, skipped] });
    const lines = terminalSummary([withSkip]).map(plain);
    expect(lines[1]).toMatch(/^leader-kill\s+PASS\s+7\s+1\/1 \+1 skipped\s+1\/1\s+-\s+streamproof run/);
    expect(lines[1]).not.toContain('2/2');
    expect(lines[2]).toBe('⊘ skipped leader-kill order: the SUT does not promise per-key order');
    expect(lines).toHaveLength(3);
    expect(notHolding(withSkip)).toBe('-');
    const onlySkipped = result({ checks: [skipped] });
    expect(plain(terminalSummary([onlySkipped])[1]!)).toMatch(/^leader-kill\s+PASS\s+7\s+- \+1 skipped\s+1\/1/);
    expect(skippedLines([result({})])).toEqual([]);
  });

  it('says which SLAs a starved host left undecided, and how much CPU the hypervisor took', () => {
    const starved = result({
      scenario: 'broker-pause', verdict: 'unknown',
      slas: [
        { scope: 'steady', threshold: 'e2e_latency.p99 < 8s', measured: 24659.877, passed: 'unknown', hostSteal: 0.31, note: 'not judged: ...' },
        { scope: 'fault', threshold: 'e2e_latency.p99 < 30s', measured: 9000, passed: true, hostSteal: 0.4 },
        { scope: 'recovery', threshold: 'recovery_time < 30s', measured: null, passed: 'unknown', hostSteal: 0.02, note: 'no healed fault' },
      ],
    });
    const lines = terminalSummary([starved]).map(plain);
    expect(lines.filter((l) => l.startsWith('? not judged'))).toEqual([
      "? not judged broker-pause steady: e2e_latency.p99 < 8s: the hypervisor took 31% of the host's CPU there (rerun on a quieter host)",
    ]);
  });

  it('notHolding is "-" when everything held', () => {
    expect(notHolding(result({}))).toBe('-');
  });
});
