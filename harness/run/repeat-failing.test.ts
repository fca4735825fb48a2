import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { repeatFailing } from './repeat-failing.ts';
import { readAttempts } from './run-attempts.ts';
import type { JudgedVerdict, RunResult } from './run-result.ts';
import { worstVerdict } from './run-result.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function judged(verdict: JudgedVerdict, runDir: string): RunResult {
  const lostValid = verdict === 'fail' ? false : verdict === 'unknown' ? 'unknown' : true;
  return {
    scenario: 's', verdict, seed: 7, replay: 'streamproof run s --seed 7', runDir, notes: [], metrics: null,
    checks: [{ checker: 'lost', valid: lostValid, summary: '', counts: {}, examples: [] }],
    slas: [{ scope: 'steady', threshold: 'e2e_latency.p99 < 2s', measured: verdict === 'fail' ? 2500 : 900, passed: verdict !== 'fail' }],
  };
}

/** Runs attempts 2.. with the given verdicts; returns the result and the attempts asked for. */
async function repeat(first: JudgedVerdict, later: (JudgedVerdict | Error)[], k: number) {
  const runDir = mkdtempSync(join(tmpdir(), 'sp-repeat-'));
  dirs.push(runDir);
  const asked: { attempt: number; dir: string }[] = [];
  const result = await repeatFailing({
    first: judged(first, runDir),
    repeat: k,
    runAttempt: async (attempt, dir) => {
      asked.push({ attempt, dir });
      const next = later[attempt - 2]!;
      if (next instanceof Error) throw next;
      return judged(next, dir);
    },
  });
  return { result, asked, runDir };
}

describe('repeatFailing', () => {
  it('runs a passing scenario once, whatever --repeat says', async () => {
    const { result, asked, runDir } = await repeat('pass', ['fail'], 3);
    expect(result.verdict).toBe('pass');
    expect(asked).toEqual([]);
    expect(await readAttempts(runDir)).toBeNull();
  });

  it('is flaky when a rerun passes, stops there, and keeps every attempt in attempt-<n>/', async () => {
    const { result, asked, runDir } = await repeat('fail', ['fail', 'pass', 'fail'], 5);
    expect(result.verdict).toBe('flaky');
    expect(asked).toEqual([{ attempt: 2, dir: join(runDir, 'attempt-2') }, { attempt: 3, dir: join(runDir, 'attempt-3') }]);
    expect(result.attempts?.map((a) => [a.attempt, a.dir, a.verdict])).toEqual([[1, '.', 'fail'], [2, 'attempt-2', 'fail'], [3, 'attempt-3', 'pass']]);
    expect(result.attempts?.[0]?.failed).toEqual(['lost', 'steady: e2e_latency.p99 < 2s']);
    expect(result.runDir).toBe(runDir);
    const written = JSON.parse(readFileSync(join(runDir, 'attempts.json'), 'utf8')) as { verdict: string; attempts: unknown[] };
    expect(written.verdict).toBe('flaky');
    expect(written.attempts).toHaveLength(3);
  });

  it('stays a failure when every attempt fails, after exactly K more', async () => {
    const { result, asked } = await repeat('fail', ['fail', 'fail'], 2);
    expect(result.verdict).toBe('fail');
    expect(asked).toHaveLength(2);
    expect(result.attempts?.map((a) => a.verdict)).toEqual(['fail', 'fail', 'fail']);
  });

  it('calls an inconclusive rerun flaky: the failure did not come back', async () => {
    expect((await repeat('fail', ['unknown'], 2)).result.verdict).toBe('flaky');
  });

  it('records a rerun that could not run, stops, and keeps the failure', async () => {
    const { result, asked } = await repeat('fail', [new HarnessError('SUT_START_FAILED', 'gone'), 'pass'], 3);
    expect(asked).toHaveLength(1);
    expect(result.verdict).toBe('fail');
    expect(result.attempts?.[1]).toMatchObject({ attempt: 2, verdict: 'error', error: 'streamproof: SUT_START_FAILED: gone' });
  });

  it('lets a usage error through: that is not an attempt', async () => {
    await expect(repeat('fail', [new HarnessError('USAGE', 'bad')], 1)).rejects.toThrow(/bad/);
  });
});

describe('worstVerdict', () => {
  it('orders fail, flaky, unknown, pass', () => {
    expect(worstVerdict(['pass', 'flaky', 'fail'])).toBe('fail');
    expect(worstVerdict(['unknown', 'flaky', 'pass'])).toBe('flaky');
    expect(worstVerdict(['unknown', 'pass'])).toBe('unknown');
    expect(worstVerdict(['pass'])).toBe('pass');
  });
});
