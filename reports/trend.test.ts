import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { appendTrend, readTrend, writeReports } from './index.ts';
import { writeSampleRun } from './testing/sample-run.ts';

let runs: string;

// Three runs of one scenario, each slower in its fault window; the third also loses records.
beforeAll(async () => {
  runs = mkdtempSync(join(tmpdir(), 'streamproof-trend-'));
  const plan = [{ faultLatencyMs: 1000, lose: 0 }, { faultLatencyMs: 4000, lose: 0 }, { faultLatencyMs: 9000, lose: 5 }];
  for (const [i, p] of plan.entries()) {
    const dir = join(runs, `run-${i + 1}`);
    await writeSampleRun(dir, { ...p, startOffsetS: i * 3600 });
    await writeReports(dir, { runsDir: runs, stepSummary: null });
  }
  await writeSampleRun(join(runs, 'other'), { name: 'other-scenario' });
  await appendTrend(runs, join(runs, 'other'));
}, 120_000);
afterAll(() => rmSync(runs, { recursive: true, force: true }));

describe('trend', () => {
  it('records one row per run, in time order, with the headline figures', async () => {
    const rows = await readTrend(runs, 'sample-crash');
    expect(rows.map((r) => r.runDir.split('/').at(-1))).toEqual(['run-1', 'run-2', 'run-3']);
    expect(rows.map((r) => r.verdict)).toEqual(['pass', 'pass', 'fail']);
    expect(rows[2]!.lost).toBe(5);
    expect(rows[0]!.p99Ms!).toBeLessThan(rows[1]!.p99Ms!);
    expect(rows[1]!.p99Ms!).toBeLessThan(rows[2]!.p99Ms!);
    expect(rows.every((r) => r.kafkaVersion === '4.1.0')).toBe(true);
    expect(await readTrend(runs)).toHaveLength(4);
  });

  it('appending a run again replaces its row', async () => {
    await appendTrend(runs, join(runs, 'run-2'));
    expect(await readTrend(runs, 'sample-crash')).toHaveLength(3);
  });

  it('`streamproof report trend --scenario` shows the moves as Markdown and writes an HTML chart', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['report', 'trend', '--scenario', 'sample-crash', '--runs', runs]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const md = out.join('');
    expect(md).toContain('## sample-crash (3 runs, verdict changed 1 time(s))');
    expect(md).not.toContain('other-scenario');
    const lines = md.split('\n').filter((l) => l.startsWith('| 2026'));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/▲ \+\d+%/);
    expect(lines[2]).toMatch(/❌ fail \(changed\)/);
    const html = readFileSync(join(runs, 'trend.html'), 'utf8');
    expect(html).toContain('data-chart="trend" data-scenario="sample-crash" data-points="3"');
    expect(html).toContain('<svg');
  });
});
