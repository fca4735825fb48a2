import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { inspectHtmlReport } from '../../reports/html-inspection.ts';
import type { ReportDocument } from '../../reports/index.ts';
import { ensureChromium } from '../tools/chromium.ts';
import type { RunResult } from '../run/run-result.ts';

const root = join(import.meta.dirname, '..', '..');

/**
 * The reference pipeline behind a wrapper that plants `pii-leak` on the very first start only
 * (a counter file): the first scenario's first attempt fails, its rerun on the same seed passes.
 */
function flakySut(dir: string): string {
  const ref = referenceSut();
  const counter = join(dir, 'sut-started-once');
  const wrapper = 'if [ -e "$0" ]; then exec "$@"; fi; : > "$0"; exec "$@" --bug pii-leak';
  const path = join(dir, 'flaky-sut.json');
  writeFileSync(path, JSON.stringify({ ...ref, name: 'reference-flaky-once', command: ['/bin/sh', '-c', wrapper, counter, ...ref.command] }));
  return path;
}

function scenario(dir: string, name: string): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({
    name, description: 'short steady load, judged on loss and personal data', brokers: 1,
    phases: [{ name: 'steady', duration: '12s' }, { name: 'drain', duration: '5s' }],
    workload: { domain: 'orders', rate: 20 }, checkers: ['lost', 'pii'],
    // Bounds far from what this machine measures: the flake here is the SUT's, never the SLAs'.
    slas: { steady: ['e2e_latency.p99 < 20s', 'throughput > 5/s'], run: ['lost == 0'] },
  }));
  return path;
}

// A real 1-broker lab, the real reference pipeline, two scenarios in one suite, `runs/` in a fresh cwd.
describe('run --repeat on a real lab', () => {
  it('reports a scenario that fails once and then passes on the same seed as flaky (exit 4), keeps both runs, and writes the suite report', async () => {
    const cwd = join(tmpdir(), 'streamproof-test-output', `repeat-flaky-${Date.now()}`);
    mkdirSync(cwd, { recursive: true });
    const sut = flakySut(cwd);
    const first = scenario(cwd, 'flaky-first');
    const second = scenario(cwd, 'steady-after');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'run', first, second, '--sut', sut, '--repeat', '2', '--seed', '4242'], { cwd, encoding: 'utf8', timeout: 15 * 60_000 });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(4);
    expect(r.stdout).toMatch(/flaky-first\s+FLAKY\s+4242/);
    expect(r.stdout).toMatch(/steady-after\s+PASS\s+4242/);
    expect(r.stdout).toMatch(/verdict FLAKY/);

    // runs/latest is the suite folder, not its last scenario.
    const latest = join(cwd, 'runs', 'latest');
    const suite = realpathSync(latest);
    expect(readlinkSync(latest)).toMatch(/-run$/);
    expect(existsSync(join(suite, 'suite.json'))).toBe(true);

    // Both attempts kept, each a whole run dir with its own verdict; the rerun had the same seed and event times.
    const dir = join(suite, 'flaky-first');
    const verdictOf = (d: string) => JSON.parse(readFileSync(join(d, 'verdict.json'), 'utf8')) as RunResult;
    expect(verdictOf(dir).verdict).toBe('fail');
    expect(verdictOf(dir).checks.find((c) => c.checker === 'pii')?.valid).toBe(false);
    expect(verdictOf(join(dir, 'attempt-2')).verdict).toBe('pass');
    expect(existsSync(join(dir, 'attempt-2', 'history.duckdb'))).toBe(true);
    expect(existsSync(join(dir, 'attempt-3'))).toBe(false);
    expect(readFileSync(join(dir, 'attempt-2', 'replay.txt'), 'utf8')).toBe(readFileSync(join(dir, 'replay.txt'), 'utf8'));
    expect(readFileSync(join(dir, 'replay.txt'), 'utf8')).toMatch(/--seed 4242 .*--event-time-origin \d+/);
    const doc = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportDocument;
    expect(doc.verdict).toBe('flaky');
    expect(doc.attempts?.map((a) => [a.dir, a.verdict])).toEqual([['.', 'fail'], ['attempt-2', 'pass']]);
    expect(existsSync(join(dir, 'attempt-2', 'report.html'))).toBe(true);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testcase name="pii" [^>]*>\s*<flakyFailure /);
    expect(readFileSync(join(suite, 'junit.xml'), 'utf8')).toContain('<flakyFailure ');

    // The suite report lists both scenarios, opens in Chromium without console errors; its screenshot is kept.
    await ensureChromium();
    const seen = await inspectHtmlReport(join(suite, 'index.html'), join(suite, 'index.png'));
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.externalRequests).toEqual([]);
    expect(seen.verdict).toBe('flaky');
    expect(seen.scenarios.map((s) => [s.scenario, s.verdict])).toEqual([['flaky-first', 'flaky'], ['steady-after', 'pass']]);
    for (const href of seen.scenarios.flatMap((s) => s.links)) expect(existsSync(join(suite, href)), href).toBe(true);
    expect(seen.scenarios[0]!.text).toMatch(/steady: busy \d+%/);
    expect(seen.scenarios[1]!.text).toMatch(/\d+%\s+steady: e2e_latency\.p99 < 20s/);
    expect(readFileSync(join(suite, 'summary.md'), 'utf8')).toMatch(/\| flaky-first \| 🔁 FLAKY \| 4242 \|/);
    console.log(`suite kept in ${suite} (index.png)`);
  }, 20 * 60_000);
});
