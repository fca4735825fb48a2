import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports, writeSuiteJunit } from './index.ts';
import { SKIPPED_ORDER_REASON, writeSampleRun } from './testing/sample-run.ts';
import { junitXsdErrors } from './testing/validators.ts';

let root: string;
const junitOf = (dir: string) => readFileSync(join(dir, 'junit.xml'), 'utf8');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'streamproof-junit-'));
  await writeSampleRun(join(root, 'pass'), { name: 'sample-pass' });
  await writeSampleRun(join(root, 'fail'), { name: 'sample-fail', lose: 12 });
  await writeReports(join(root, 'pass'), { stepSummary: null });
  await writeReports(join(root, 'fail'), { stepSummary: null });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('junit.xml', () => {
  it('is valid against the Jenkins/Surefire junit-10.xsd for a passing and a failing run', async () => {
    expect(await junitXsdErrors(junitOf(join(root, 'pass')))).toEqual([]);
    expect(await junitXsdErrors(junitOf(join(root, 'fail')))).toEqual([]);
  });

  it('the validator does reject what the XSD forbids', async () => {
    const broken = junitOf(join(root, 'pass')).replace(/<testcase name="[^"]*"/, '<testcase');
    expect((await junitXsdErrors(broken)).join('\n')).toMatch(/'name' is required/);
  });

  it('has one testcase per checker and per SLA; a failure says measured vs threshold and shows examples', () => {
    const xml = junitOf(join(root, 'fail'));
    const verdict = JSON.parse(readFileSync(join(root, 'fail', 'verdict.json'), 'utf8')) as { checks: unknown[]; slas: unknown[] };
    expect(xml.match(/<testcase /g)).toHaveLength(verdict.checks.length + verdict.slas.length);
    expect(xml).toMatch(/<testsuite name="sample-fail" tests="\d+" failures="2" errors="0"/);
    expect(xml).toContain('<failure message="measured 12 vs lost == 0"');
    expect(xml).toMatch(/<failure message="[^"]*12 of \d+ acknowledged[^"]*" type="fail">[^<]*example: \{[^<]*ev-/);
    expect(xml).toContain('<property name="seed" value="42"/>');
    expect(xml).toContain('<property name="version.kafka" value="4.1.0"/>');
    expect(junitOf(join(root, 'pass'))).not.toContain('<failure');
  });

  it('shows a skipped checker as <skipped> with its reason, counted in the testsuite, never as a pass', async () => {
    for (const run of ['pass', 'fail']) {
      const xml = junitOf(join(root, run));
      const order = xml.match(/<testcase name="order" [^>]*?(\/>|>[\s\S]*?<\/testcase>)/)?.[0];
      expect(order, run).toBeDefined();
      expect(order).toMatch(/^<testcase name="order" classname="streamproof\.sample-\w+\.checks" time="0\.000">\s*<skipped message="([^"]*)"\/>\s*<\/testcase>$/);
      expect(order).toContain(`<skipped message="${SKIPPED_ORDER_REASON}"/>`);
      expect(xml.match(/<skipped /g)).toHaveLength(1);
      expect(xml).toMatch(/<testsuite name="sample-\w+" tests="\d+" failures="\d+" errors="0" skipped="1"/);
      expect(await junitXsdErrors(xml)).toEqual([]);
    }
    // Judged checks are still plain passes.
    expect(junitOf(join(root, 'pass'))).toMatch(/<testcase name="duplicates" classname="streamproof\.sample-pass\.checks" time="0\.000"\/>/);
  });

  it('a suite file holds one testsuite per scenario and is valid too', async () => {
    const path = await writeSuiteJunit([join(root, 'pass'), join(root, 'fail')], join(root, 'suite', 'junit.xml'));
    const xml = readFileSync(path, 'utf8');
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testsuite [^>]* skipped="1"/g)).toHaveLength(2);
    expect(xml).toMatch(/<testsuites name="streamproof" tests="\d+" failures="2" errors="0"/);
    expect(await junitXsdErrors(xml)).toEqual([]);
  });
});
