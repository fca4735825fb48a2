import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from './index.ts';
import { terminalSummary, writeSuiteJunit } from './index.ts';
import { readTrend } from './trend-store.ts';
import { appendTrend } from './index.ts';
import { SAMPLE_SUITE, writeSampleSuite } from './testing/sample-suite.ts';
import { junitXsdErrors, reportSchemaErrors } from './testing/validators.ts';
import type { RunResult } from '../harness/run/run-result.ts';

// The reports of scenarios `run --repeat` ran again: real sample histories, real checkers.
let suite: string;
const read = (...p: string[]) => readFileSync(join(suite, ...p), 'utf8');
const doc = (name: string) => JSON.parse(read(name, 'report.json')) as ReportDocument;

beforeAll(async () => {
  suite = mkdtempSync(join(tmpdir(), 'streamproof-attempts-'));
  await writeSampleSuite(suite);
}, 120_000);
afterAll(() => rmSync(suite, { recursive: true, force: true }));

describe('a flaky scenario (failed, then passed on the same seed)', () => {
  it('is flaky in report.json, valid against the schema, with both attempts and their reports', () => {
    const flaky = doc(SAMPLE_SUITE.flaky);
    expect(reportSchemaErrors(flaky)).toEqual([]);
    expect(flaky.verdict).toBe('flaky');
    expect(flaky.attempts?.map((a) => [a.attempt, a.dir, a.verdict])).toEqual([[1, '.', 'fail'], [2, 'attempt-2', 'pass']]);
    expect(flaky.attempts?.[0]?.failed).toEqual(['lost', 'run: lost == 0']);
    for (const a of flaky.attempts!) expect(existsSync(join(suite, SAMPLE_SUITE.flaky, a.report)), a.report).toBe(true);
    // Each attempt keeps its own history and its own verdict.
    expect(existsSync(join(suite, SAMPLE_SUITE.flaky, 'attempt-2', 'history.duckdb'))).toBe(true);
    expect(doc(join(SAMPLE_SUITE.flaky, 'attempt-2')).verdict).toBe('pass');
    expect(flaky.hostCpu?.fault).toEqual({ samples: 10, busy: 0.88, iowait: 0.03, steal: 0.21 });
  });

  it('is a passing testcase with a <flakyFailure> in junit.xml, as Surefire writes a flaky test', async () => {
    const xml = read(SAMPLE_SUITE.flaky, 'junit.xml');
    expect(await junitXsdErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuite name="flaky-sample" tests="\d+" failures="0" errors="0"/);
    expect(xml).toMatch(/<testcase name="lost" [^>]*>\s*<flakyFailure message="attempt 1: [^"]*3 of \d+ acknowledged[^"]*" type="fail"><stackTrace>/);
    expect(xml).toMatch(/<testcase name="run: lost == 0" [^>]*>\s*<flakyFailure message="attempt 1: measured 3 vs lost == 0"/);
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('<property name="verdict" value="flaky"/>');
    expect(xml).toContain('<property name="attempt.2" value="pass attempt-2"/>');
  });

  it('says flaky in summary.md and report.html, and links each attempt', () => {
    const md = read(SAMPLE_SUITE.flaky, 'summary.md');
    expect(md).toMatch(/^## 🔁 flaky-sample: FLAKY/);
    expect(md).toContain('### Attempts');
    expect(md).toContain('- ✅ attempt 2: pass ([report](attempt-2/report.html))');
    const html = read(SAMPLE_SUITE.flaky, 'report.html');
    expect(html).toContain('data-verdict="flaky"');
    expect(html).toMatch(/<tr class="attempt" data-attempt="2" data-verdict="pass">.*<a href="attempt-2\/report.html">attempt-2<\/a>/);
  });

  it('is FLAKY in the terminal table, with a line naming the attempts', () => {
    const result: RunResult = { ...(JSON.parse(read(SAMPLE_SUITE.flaky, 'verdict.json')) as RunResult), verdict: 'flaky', attempts: doc(SAMPLE_SUITE.flaky).attempts! };
    const lines = terminalSummary([result]);
    expect(lines[1]).toMatch(/^flaky-sample\s+FLAKY\s+13/);
    expect(lines.some((l) => /^FLAKY flaky-sample: attempts 1 fail, 2 pass \(same seed; last in .*attempt-2\)$/.test(l))).toBe(true);
  });

  it('is a flaky row in the trend', async () => {
    await appendTrend(suite, join(suite, SAMPLE_SUITE.flaky));
    const [row] = await readTrend(suite, SAMPLE_SUITE.flaky);
    expect(row?.verdict).toBe('flaky');
  });
});

describe('a scenario that failed on every attempt', () => {
  it('stays a failure; junit.xml adds a <rerunFailure> per further attempt', async () => {
    const failed = doc(SAMPLE_SUITE.fail);
    expect(failed.verdict).toBe('fail');
    expect(failed.attempts?.map((a) => a.verdict)).toEqual(['fail', 'fail']);
    const xml = read(SAMPLE_SUITE.fail, 'junit.xml');
    expect(await junitXsdErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuite name="lossy-sample" tests="\d+" failures="2"/);
    expect(xml).toMatch(/<failure message="measured 12 vs lost == 0" type="fail">[^<]*<\/failure>\s*<rerunFailure message="attempt 2 failed too \(attempt-2\/report.html\)" type="fail">/);
    expect(read(SAMPLE_SUITE.fail, 'summary.md')).toContain('Every run with the same seed and event times failed.');
  });

  it('keeps a suite junit.xml valid with flaky and failing scenarios together', async () => {
    const path = await writeSuiteJunit([SAMPLE_SUITE.pass, SAMPLE_SUITE.fail, SAMPLE_SUITE.flaky].map((n) => join(suite, n)), join(suite, 'junit.xml'));
    const xml = readFileSync(path, 'utf8');
    expect(await junitXsdErrors(xml)).toEqual([]);
    expect(xml.match(/<flakyFailure /g)?.length).toBe(2);
    expect(xml.match(/<rerunFailure /g)?.length).toBe(2);
  });
});
