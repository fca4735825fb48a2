import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonResult, DiffExample } from '../harness/compare/comparison-result.ts';
import { writeReports, type ReportDocument } from './index.ts';
import { capMarkdown, markdownSummary, MAX_SUMMARY_BYTES } from './markdown-summary.ts';
import { SKIPPED_ORDER_REASON, writeSampleRun } from './testing/sample-run.ts';

const MiB = 1024 * 1024;
let root: string;
const docOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportDocument;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'streamproof-summary-'));
  await writeSampleRun(join(root, 'fail'), { lose: 7 });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('summary.md', () => {
  it('shows the verdict, the SLA table, failing checks with examples and the HTML link; appends to the step summary', async () => {
    const stepSummary = join(root, 'step-summary.md');
    writeFileSync(stepSummary, '# earlier step\n');
    const paths = await writeReports(join(root, 'fail'), { stepSummary });
    const md = readFileSync(paths.markdown, 'utf8');
    expect(md).toMatch(/^## ❌ sample-crash: FAIL/);
    expect(md).toContain('| run | `lost == 0` | 7 | ❌ fail |');
    expect(md).toMatch(/\*\*lost\*\*: 7 of \d+ acknowledged/);
    expect(md).toMatch(/ {2}- `\{"event_id":"ev-/);
    expect(md).toContain('[report.html](report.html)');
    const appended = readFileSync(stepSummary, 'utf8');
    expect(appended.startsWith('# earlier step\n## ❌ sample-crash: FAIL')).toBe(true);
    expect(appended).toContain(`(file://${paths.html})`);
  });

  it('lists a skipped check as skipped with its reason, never among the checks that hold', () => {
    const doc = docOf(join(root, 'fail'));
    const skippedLine = `- ⏭️ **order**: skipped — ${SKIPPED_ORDER_REASON}`;
    expect(markdownSummary(doc)).toContain(skippedLine);
    // With every judged check holding, the skipped one is still not counted as holding.
    const holding = { ...doc, checks: doc.checks.map((c) => (c.checker === 'lost' ? { ...c, valid: true as const, examples: [] } : c)) };
    const md = markdownSummary(holding);
    expect(md).toContain('All 2 judged checks hold: lost, duplicates.');
    expect(md).toContain(skippedLine);
    expect(md).not.toMatch(/hold:[^\n]*order/);
    expect(md).not.toMatch(/✅[^\n]*order/);
    const allSkipped = { ...doc, checks: doc.checks.filter((c) => c.checker === 'order') };
    expect(markdownSummary(allSkipped)).toContain('No check judged anything: every checker was skipped.');
  });

  it('names the cluster size in the header, "1 broker" or "N brokers"', async () => {
    const doc = docOf(join(root, 'fail'));
    expect(markdownSummary(doc)).toContain(' · 3 brokers · ');
    expect(markdownSummary({ ...doc, environment: { ...doc.environment, brokers: 1 } })).toContain(' · 1 broker · ');
  });

  it('stays under 1 MiB for a comparison with 100k differences', async () => {
    const dir = join(root, 'fail');
    const examples: DiffExample[] = Array.from({ length: 100_000 }, (_, i) => ({ key: `{"window":"w${i}","region":"eu-${i % 7}"}`, baseline: { total: i, note: 'x'.repeat(40) }, candidate: { total: i + 1, note: 'y'.repeat(40) }, fields: ['total', 'note'] }));
    const comparison: ComparisonResult = {
      mode: 'shadow', scenario: 'sample-crash', seed: 42, replay: 'streamproof compare --seed 42', runDir: dir,
      baseline: { name: 'reference' }, candidate: { name: 'candidate' },
      diff: { compared: 200_000, inFlight: 0, noise: [], classes: [{ class: 'changed', count: 100_000, examples }, { class: 'missing', count: 0, examples: [] }] },
      metrics: [], score: null, verdict: 'fail', reasons: Array.from({ length: 100_000 }, (_, i) => `difference ${i}`),
    };
    writeFileSync(join(dir, 'comparison.json'), JSON.stringify(comparison));
    try {
      const paths = await writeReports(dir, { stepSummary: null });
      expect(statSync(join(dir, 'comparison.json')).size).toBeGreaterThan(MiB);
      const size = statSync(paths.markdown).size;
      expect(size).toBeLessThan(MiB);
      const md = readFileSync(paths.markdown, 'utf8');
      expect(md).toContain('| changed | 100000 |');
      expect(md).toContain('[report.html](report.html)');
    } finally {
      rmSync(join(dir, 'comparison.json'));
    }
  });

  it('cuts an oversized summary at a line boundary with a note, under 1 MiB', () => {
    const doc = docOf(join(root, 'fail'));
    const sla = doc.slas[0]!;
    const many = { ...doc, slas: Array.from({ length: 100_000 }, (_, i) => ({ ...sla, scope: `phase-${i}` })) };
    const md = markdownSummary(many);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(Buffer.byteLength(md)).toBeGreaterThan(MAX_SUMMARY_BYTES - 64 * 1024);
    expect(md).toMatch(/\n\n> \*\*Truncated\*\*: \d+ bytes left out/);
    expect(md.split('> **Truncated**')[0]).toMatch(/\n\| phase-\d+ \| `[^`]+` \| [^|\n]+ \| [^|\n]+ \|\n\n$/);
  });

  it('capMarkdown leaves a short text alone and never splits a multi-byte character', () => {
    expect(capMarkdown('short\n', 100)).toBe('short\n');
    const text = `${'é'.repeat(300)}\n${'€'.repeat(300)}`;
    const capped = capMarkdown(text, 400);
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(400);
    expect(capped).not.toContain('\uFFFD');
  });
});
