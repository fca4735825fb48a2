import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../harness/compare/comparison-result.ts';
import { writeReports, type ReportDocument } from './index.ts';
import { SKIPPED_ORDER_REASON, writeSampleRun } from './testing/sample-run.ts';
import { reportSchemaErrors } from './testing/validators.ts';

let root: string;
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportDocument;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'streamproof-reports-'));
  await writeSampleRun(join(root, 'pass'));
  await writeSampleRun(join(root, 'fail'), { lose: 25 });
  await writeReports(join(root, 'pass'), { stepSummary: null });
  await writeReports(join(root, 'fail'), { stepSummary: null });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report.json', () => {
  it('validates against docs/report-schema.json for a passing and a failing run', () => {
    expect(reportSchemaErrors(read(join(root, 'pass')))).toEqual([]);
    expect(reportSchemaErrors(read(join(root, 'fail')))).toEqual([]);
  });

  it('the schema rejects a document missing what it requires', () => {
    const { verdict: _dropped, ...rest } = read(join(root, 'pass'));
    expect(reportSchemaErrors(rest).join('\n')).toMatch(/verdict/);
    expect(reportSchemaErrors({ ...read(join(root, 'pass')), verdict: 'maybe' })).not.toEqual([]);
  });

  it('carries the verdict, evidence, SLAs with measured value and threshold, phases and faults', () => {
    const fail = read(join(root, 'fail'));
    const verdict = JSON.parse(readFileSync(join(root, 'fail', 'verdict.json'), 'utf8')) as { verdict: string; seed: number };
    expect(fail.verdict).toBe(verdict.verdict);
    expect(fail.verdict).toBe('fail');
    expect(fail.seed).toBe(verdict.seed);
    expect(fail.replay).toContain(`--seed ${verdict.seed}`);
    const lost = fail.checks.find((c) => c.checker === 'lost')!;
    expect(lost.valid).toBe(false);
    expect(lost.counts.lost).toBe(25);
    expect(lost.examples.length).toBeGreaterThan(0);
    const lostSla = fail.slas.find((s) => s.metric === 'lost')!;
    expect(lostSla).toMatchObject({ scope: 'run', op: '==', limit: 0, unit: 'count', measured: 25, passed: false });
    const p99 = fail.slas.find((s) => s.metric === 'e2e_latency')!;
    expect(p99).toMatchObject({ stat: 'p99', limit: 2000, unit: 'ms' });
    expect(fail.phases.map((p) => p.name)).toEqual(['warm-up', 'steady', 'fault', 'recovery', 'drain']);
    expect(fail.phases[0]!.offsetMs).toBe(0);
    expect(fail.phases[2]).toMatchObject({ offsetMs: 15_000, durationMs: 10_000 });
    expect(fail.faults).toEqual([expect.objectContaining({ id: 'sut.crash#1', type: 'sut.crash', target: 'sut-0', offsetMs: 17_000, healOffsetMs: 22_000, durationMs: 5_000 })]);
    expect(fail.environment).toMatchObject({ kafka: '4.1.0', provider: 'local', brokers: 3, sut: { name: 'reference', instances: 2 } });
    expect(read(join(root, 'pass')).verdict).toBe('pass');
  });

  it('carries a skipped check with its reason (and the schema accepts it)', () => {
    for (const run of ['pass', 'fail']) {
      const doc = read(join(root, run));
      const order = doc.checks.find((c) => c.checker === 'order')!;
      expect(order).toMatchObject({ valid: true, skipped: SKIPPED_ORDER_REASON, summary: `skipped: ${SKIPPED_ORDER_REASON}` });
      expect(doc.checks.filter((c) => c.checker !== 'order').every((c) => c.skipped === undefined)).toBe(true);
      expect(reportSchemaErrors(doc)).toEqual([]);
    }
    expect(reportSchemaErrors({ ...read(join(root, 'pass')), checks: [{ checker: 'order', valid: true, summary: 'x', counts: {}, examples: [], skipped: 1 }] })).not.toEqual([]);
  });

  it('includes comparison.json when the run dir has one, and still validates', async () => {
    const dir = join(root, 'pass');
    const comparison: ComparisonResult = {
      mode: 'shadow', scenario: 'sample-crash', seed: 42, replay: 'streamproof compare x --seed 42', runDir: dir,
      baseline: { name: 'reference' }, candidate: { name: 'reference-no-dedupe' },
      diff: { compared: 1000, inFlight: 3, classes: [{ class: 'changed', count: 2, examples: [{ key: 'k1', baseline: { n: 1 }, candidate: { n: 2 }, fields: ['n'] }] }], noise: [] },
      metrics: [], score: null, verdict: 'fail', reasons: ['2 records changed'],
    };
    writeFileSync(join(dir, 'comparison.json'), JSON.stringify(comparison));
    try {
      await writeReports(dir, { stepSummary: null });
      const doc = read(dir);
      expect(doc.kind).toBe('comparison');
      expect(doc.comparison?.diff?.classes[0]?.count).toBe(2);
      expect(reportSchemaErrors(doc)).toEqual([]);
      expect(doc.environment).toMatchObject({ kafka: '4.1.0', sut: { name: 'reference vs reference-no-dedupe' } });
    } finally {
      rmSync(join(dir, 'comparison.json'));
    }
  });

  it('fills the environment of a shadow comparison from the baseline history (no run-wide one)', async () => {
    const dir = join(root, 'shadow');
    await writeSampleRun(join(dir, 'baseline'));
    copyFileSync(join(dir, 'baseline', 'scenario.json'), join(dir, 'scenario.json')); // as runSides writes it
    const comparison: ComparisonResult = {
      mode: 'shadow', scenario: 'sample-crash', seed: 42, replay: 'streamproof compare x --seed 42', runDir: dir,
      baseline: { name: 'reference' }, candidate: { name: 'reference:delay-ms=20' },
      diff: { compared: 10, inFlight: 0, classes: [], noise: [] }, metrics: [], score: null, verdict: 'pass', reasons: [],
    };
    writeFileSync(join(dir, 'comparison.json'), JSON.stringify(comparison));
    await writeReports(dir, { stepSummary: null });
    const doc = read(dir);
    expect(doc.environment).toMatchObject({ kafka: '4.1.0', provider: 'local', sut: { name: 'reference vs reference:delay-ms=20', instances: 2 } });
    expect(doc.phases.map((p) => p.name)).toEqual(['warm-up', 'steady', 'fault', 'recovery', 'drain']);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('Kafka 4.1.0 · 3 brokers · SUT reference vs reference:delay-ms=20');
    expect(reportSchemaErrors(doc)).toEqual([]);
  });
});
