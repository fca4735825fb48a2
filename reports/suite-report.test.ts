import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium } from '../harness/tools/chromium.ts';
import { inspectHtmlReport } from './html-inspection.ts';
import { nearestSlas, slaRatio, writeSuiteReport } from './index.ts';
import type { ReportSla } from './report-document.ts';
import { SAMPLE_SUITE, writeSampleSuite } from './testing/sample-suite.ts';

// Kept after the test (overwritten by the next run): the suite and its screenshot can be looked at.
const suite = join(tmpdir(), 'streamproof-test-output', 'suite-report');
let written: Awaited<ReturnType<typeof writeSuiteReport>>;

beforeAll(async () => {
  await ensureChromium();
  rmSync(suite, { recursive: true, force: true });
  mkdirSync(suite, { recursive: true });
  await writeSampleSuite(suite);
  written = await writeSuiteReport(suite);
}, 20 * 60_000);

describe('the suite report (index.html) in headless Chromium', () => {
  it('lists every scenario with its verdict and working links, with no console errors or fetches', async () => {
    const png = join(suite, 'index.png');
    const seen = await inspectHtmlReport(written.html, png);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.externalRequests).toEqual([]);
    expect(seen.verdict).toBe('fail');
    expect(seen.title).toBe('suite: FAIL · streamproof');
    expect(seen.scenarios.map((s) => [s.scenario, s.verdict])).toEqual([
      [SAMPLE_SUITE.pass, 'pass'], [SAMPLE_SUITE.fail, 'fail'], [SAMPLE_SUITE.flaky, 'flaky'], [SAMPLE_SUITE.error, 'error'], [SAMPLE_SUITE.notRun, 'not run'],
    ]);
    for (const row of seen.scenarios) expect(row.visible, row.scenario).toBe(true);
    // Every link lands on a file of the suite: reports, summaries, attempts.
    const links = seen.scenarios.flatMap((s) => s.links);
    expect(links).toContain(`${SAMPLE_SUITE.flaky}/attempt-2/report.html`);
    expect(links).toContain(`${SAMPLE_SUITE.fail}/attempt-2/report.html`);
    for (const href of links) expect(existsSync(join(suite, href)), href).toBe(true);
    const flaky = seen.scenarios.find((s) => s.scenario === SAMPLE_SUITE.flaky)!;
    expect(flaky.text).toContain('≈ flaky');
    expect(flaky.text).toContain('attempt 2: pass');
    // The SLA nearest its bound and the CPU evidence are on the row.
    const pass = seen.scenarios.find((s) => s.scenario === SAMPLE_SUITE.pass)!;
    expect(pass.text).toMatch(/12%\s+steady: e2e_latency\.p99 < 2s/);
    expect(pass.text).toContain('steady: busy 63%, steal 2%');
    expect(pass.text).toContain('fault: busy 88%, steal 21%');
    expect(seen.scenarios.find((s) => s.scenario === SAMPLE_SUITE.error)!.text).toContain('SUT_START_FAILED');
    expect(statSync(png).size).toBeGreaterThan(10_000);
  });

  it('writes summary.md with one row per scenario and the suite verdict', () => {
    const md = readFileSync(written.markdown, 'utf8');
    expect(md).toMatch(/^## streamproof run: ❌ FAIL/);
    expect(md).toContain('5 scenarios: 1 pass, 1 fail, 1 flaky, 1 error, 1 not run');
    for (const name of Object.values(SAMPLE_SUITE)) expect(md).toMatch(new RegExp(`^\\| ${name} \\|`, 'm'));
    expect(md).toContain(`[attempt 2: pass](${SAMPLE_SUITE.flaky}/attempt-2/report.html)`);
  });
});

describe('SLA nearness', () => {
  const sla = (threshold: string, op: string, limit: number, measured: number | null, passed: boolean | 'unknown'): ReportSla =>
    ({ scope: 'steady', threshold, metric: 'x', stat: null, op, limit, unit: 'ms', measured, passed });

  it('is measured/bound for an upper bound, bound/measured for a lower one, none for == 0', () => {
    expect(slaRatio(sla('e2e_latency.p99 < 2s', '<', 2000, 1500, true))).toBe(0.75);
    expect(slaRatio(sla('throughput > 90/s', '>', 90, 100, true))).toBe(0.9);
    expect(slaRatio(sla('throughput > 90/s', '>', 90, 0, false))).toBe(Infinity);
    expect(slaRatio(sla('lost == 0', '==', 0, 3, false))).toBeNull();
    expect(slaRatio(sla('e2e_latency.p99 < 2s', '<', 2000, null, 'unknown'))).toBeNull();
  });

  it('puts missed SLAs first, then the nearest, and leaves out held ones without a ratio', () => {
    const near = nearestSlas([
      sla('a < 1s', '<', 1000, 100, true),
      sla('lost == 0', '==', 0, 0, true),
      sla('b < 1s', '<', 1000, 950, true),
      sla('dup == 0', '==', 0, 2, false),
      sla('c > 10/s', '>', 10, 20, true),
    ]);
    expect(near.map((n) => n.sla.threshold)).toEqual(['dup == 0', 'b < 1s', 'c > 10/s']);
  });
});
