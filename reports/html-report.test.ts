import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../harness/compare/comparison-result.ts';
import { ensureChromium } from '../harness/tools/chromium.ts';
import { writeReports, type ReportDocument } from './index.ts';
import { inspectHtmlReport } from './html-inspection.ts';
import { SKIPPED_ORDER_REASON, writeSampleRun } from './testing/sample-run.ts';

// Real headless Chromium (Debian's, installed on first use) opens the real report.html.
let root: string;

beforeAll(async () => {
  await ensureChromium();
  root = mkdtempSync(join(tmpdir(), 'streamproof-html-'));
  await writeSampleRun(join(root, 'fail'), { lose: 9 });
  await writeReports(join(root, 'fail'), { stepSummary: null });
}, 20 * 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report.html in headless Chromium', () => {
  it('shows the verdict and every chart with data and the fault window, with no console errors or fetches', async () => {
    const dir = join(root, 'fail');
    const doc = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportDocument;
    const seen = await inspectHtmlReport(join(dir, 'report.html'), join(dir, 'report.png'));

    expect(seen.consoleErrors).toEqual([]);
    expect(seen.externalRequests).toEqual([]);
    expect(seen.verdict).toBe('fail');
    expect(seen.title).toContain('FAIL');
    expect(existsSync(join(dir, 'report.png'))).toBe(true);
    expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(10_000);

    expect(seen.charts.map((c) => c.id)).toEqual(['throughput', 'latency', 'lag']);
    const faultLabel = `${doc.faults[0]!.type} ${doc.faults[0]!.target}`;
    for (const chart of seen.charts) {
      expect(chart.points, chart.id).toBeGreaterThan(10);
      expect(chart.paths, chart.id).toBeGreaterThan(10);
      expect(chart.width, chart.id).toBeGreaterThan(400);
      expect(chart.faultAreas, chart.id).toBe(doc.faults.length);
      expect(chart.texts, chart.id).toContain(faultLabel);
      expect(chart.texts, chart.id).toEqual(expect.arrayContaining(['steady', 'fault', 'recovery']));
    }
    expect(seen.charts.find((c) => c.id === 'latency')!.texts).toEqual(expect.arrayContaining(['p50', 'p95', 'p99']));

    // A skipped checker is shown as skipped, with its reason, in a colour of its own: never as a pass.
    expect(seen.checks.map((c) => [c.checker, c.state])).toEqual([['lost', 'fail'], ['duplicates', 'pass'], ['order', 'skipped']]);
    const order = seen.checks.find((c) => c.checker === 'order')!;
    expect(order.visible).toBe(true);
    expect(order.badge).toBe('⊘ skipped');
    expect(order.text).toContain(SKIPPED_ORDER_REASON);
    expect(order.text).not.toMatch(/✔|\bpass\b/);
    const colours = new Set(seen.checks.map((c) => c.badgeColour));
    expect(colours.size).toBe(3);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Checks <span class="muted">(2 judged, <span class="skipped">1 skipped</span>)</span>');
  }, 120_000);

  it('shows baseline and candidate side by side and the diff classes for a comparison', async () => {
    const dir = join(root, 'fail');
    const stats = (p50: number) => ({ n: 500, mean: p50, p50, p95: p50 * 2, p99: p50 * 3 });
    const comparison: ComparisonResult = {
      mode: 'canary', scenario: 'sample-crash', seed: 42, replay: 'streamproof compare --seed 42', runDir: dir, fraction: 0.25,
      baseline: { name: 'reference' }, candidate: { name: 'reference-no-dedupe' },
      diff: { compared: 900, inFlight: 4, noise: [], classes: [{ class: 'duplicated', count: 31, examples: [{ key: 'k7', baseline: 1, candidate: 2 }] }, { class: 'missing', count: 3, examples: [{ key: 'k9', baseline: 1 }] }] },
      metrics: [{ name: 'e2e_latency', group: 'latency', weight: 1, critical: true, direction: 'higher-is-worse', baseline: stats(100), candidate: stats(180), pValue: 0.001, shift: null, effect: 0.8, classification: 'fail', reason: 'p50 80% higher' }],
      score: 0, verdict: 'fail', reasons: ['31 duplicated records'],
    };
    writeFileSync(join(dir, 'comparison.json'), JSON.stringify(comparison));
    try {
      const paths = await writeReports(dir, { stepSummary: null });
      const seen = await inspectHtmlReport(paths.html, join(dir, 'comparison.png'));
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.charts.map((c) => c.id)).toEqual(['throughput', 'latency', 'lag', 'compare-p99', 'diff-classes']);
      const diff = seen.charts.find((c) => c.id === 'diff-classes')!;
      expect(diff.texts).toEqual(expect.arrayContaining(['duplicated', 'missing', '31', '3']));
      const html = readFileSync(paths.html, 'utf8');
      expect(html).toContain('data-side="baseline"');
      expect(html).toContain('data-side="candidate"');
      expect(html).toContain('reference-no-dedupe');
    } finally {
      rmSync(join(dir, 'comparison.json'));
    }
  }, 120_000);
});
