import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports, writeSuiteJunit } from './index.ts';
import { writeSampleRun } from './testing/sample-run.ts';
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

  it('a suite file holds one testsuite per scenario and is valid too', async () => {
    const path = await writeSuiteJunit([join(root, 'pass'), join(root, 'fail')], join(root, 'suite', 'junit.xml'));
    const xml = readFileSync(path, 'utf8');
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toMatch(/<testsuites name="streamproof" tests="\d+" failures="2" errors="0"/);
    expect(await junitXsdErrors(xml)).toEqual([]);
  });
});
