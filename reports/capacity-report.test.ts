import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureChromium } from '../harness/tools/chromium.ts';
import { capacityHtml, capacityLines, writeCapacityReport } from './capacity-report.ts';
import { inspectHtmlReport } from './html-inspection.ts';
import { appendCapacityTrend, readTrend, trendMarkdown } from './index.ts';
import { sampleCapacity, sampleStep } from './testing/capacity-sample.ts';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'streamproof-capacity-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('capacity report', () => {
  it('prints every step by rate, then the knee with its evidence and the failure above it', () => {
    const lines = capacityLines(sampleCapacity('/runs/cap'));
    expect(lines[1]).toMatch(/^ +400\/s pass: sent 399\/s, processed 399\/s, .*, load 6\.4$/);
    expect(lines.filter((l) => / FAIL: /.test(l))).toHaveLength(3);
    expect(lines).toContain('knee: 1600 events/s sustained (bracket within the resolution); 1745/s failed (lag grew by 95/s (bound 88/s))');
    expect(lines.find((l) => l.startsWith('  evidence at 1600/s'))).toMatch(/p99 4\.20 s, lag growth 6\.0\/s, lag max 440, lost 0, duplicates 0, load 6\.4/);
  });

  it('names the failure of a rate that held once and failed its confirmation', () => {
    const r = sampleCapacity('/runs/cap');
    const confirm = { ...sampleStep(8, 1745, { processed: 1500, p99Ms: 9000, lagGrowth: 200, stage: 'confirm' }) };
    r.steps = [...r.steps.filter((s) => s.rate !== 1745), sampleStep(7, 1745, { processed: 1740, p99Ms: 5000, lagGrowth: 2, stage: 'bisect' }), confirm];
    expect(capacityLines(r)).toContain(`knee: 1600 events/s sustained (bracket within the resolution); 1745/s failed (${confirm.judgement.reasons.join('; ')})`);
  });

  it('draws the knee chart: one point per step on each series, the knee marked', async () => {
    const dir = fresh();
    const html = readFileSync(await writeCapacityReport(sampleCapacity(dir)), 'utf8');
    expect(html).toContain('data-verdict="pass">capacity: 1600 events/s</h1>');
    expect(html).toContain('data-chart="knee" data-points="7"');
    expect(html).toContain('knee 1600/s');
    // A failed step's reasons are in the table.
    expect(html).toContain('failed: processed 2130/s of 3194/s sent; lag grew by 1050/s (bound 161/s); steady SLA e2e_latency.p99 &lt; 8s missed (measured 14500)');
    expect(capacityHtml({ ...sampleCapacity(dir), kneeEps: null, stop: 'nothing-passed' })).toContain('data-verdict="fail">capacity: no sustainable rate found</h1>');
  });

  it('opens in headless Chromium with the knee chart drawn, no console errors and no fetches', async () => {
    await ensureChromium();
    const dir = fresh();
    const seen = await inspectHtmlReport(await writeCapacityReport(sampleCapacity(dir)), join(dir, 'capacity.png'));
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.externalRequests).toEqual([]);
    expect(seen.verdict).toBe('pass');
    const [knee] = seen.charts;
    expect(knee).toMatchObject({ id: 'knee', points: 7 });
    expect(knee!.width).toBeGreaterThan(800);
    expect(knee!.texts).toEqual(expect.arrayContaining(['processed', 'lag growth', 'p99 latency', 'knee 1600/s']));
  }, 120_000);
});

describe('capacity in the trend', () => {
  it('adds a row per search with the knee, and shows a drop between releases', async () => {
    const runs = fresh();
    await appendCapacityTrend(runs, sampleCapacity(join(runs, 'cap-1')));
    await new Promise((r) => setTimeout(r, 5));
    await appendCapacityTrend(runs, sampleCapacity(join(runs, 'cap-2'), 0.75));
    const rows = await readTrend(runs, 'steady-baseline-capacity:reference');
    expect(rows.map((r) => r.capacityEps)).toEqual([1600, 1200]);
    expect(rows[0]).toMatchObject({ verdict: 'pass', p99Ms: 4200, throughputPerS: 1596, sut: 'reference', slasFailed: 0 });
    const md = trendMarkdown(rows);
    expect(md).toContain('| capacity |');
    expect(md).toMatch(/\| 1200\/s \(▼ -25%\) \|/);
  });

  it('adds the capacity_eps column to a trend file written before it existed', async () => {
    const runs = fresh();
    const instance = await DuckDBInstance.create(join(runs, 'trend.duckdb'));
    const c = await instance.connect();
    // The columns of a trend file from before capacity searches (schema version 1).
    await c.run(`CREATE TABLE trend_runs (run_dir VARCHAR PRIMARY KEY, scenario VARCHAR NOT NULL, started_at VARCHAR, recorded_at VARCHAR NOT NULL, seed BIGINT, verdict VARCHAR NOT NULL,
      p50_ms DOUBLE, p95_ms DOUBLE, p99_ms DOUBLE, throughput_per_s DOUBLE, recovery_ms DOUBLE, never_recovered INTEGER NOT NULL, lost BIGINT, duplicates BIGINT,
      rpo_records BIGINT, rpo_time_ms DOUBLE, rto_ms DOUBLE, checks_failed INTEGER NOT NULL, slas_failed INTEGER NOT NULL, streamproof_version VARCHAR, kafka_version VARCHAR, sut VARCHAR)`);
    await c.run(`INSERT INTO trend_runs (run_dir, scenario, recorded_at, verdict, never_recovered, checks_failed, slas_failed) VALUES ('/runs/old', 'steady-baseline', '2026-11-01T00:00:00Z', 'pass', 0, 0, 0)`);
    c.closeSync();
    instance.closeSync();
    await appendCapacityTrend(runs, sampleCapacity(join(runs, 'cap')));
    const rows = await readTrend(runs);
    expect(rows.map((r) => [r.scenario, r.capacityEps])).toEqual([['steady-baseline', null], ['steady-baseline-capacity:reference', 1600]]);
  });
});
