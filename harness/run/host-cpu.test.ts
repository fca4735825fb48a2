import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryWriter } from '../history/history-writer.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { cpuShares, HostCpuSampler, parseCpuLine, stealOver } from './host-cpu.ts';

describe('host CPU figures from /proc/stat', () => {
  it('splits the cpu line into busy, iowait, steal and total ticks', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const times = parseCpuLine('cpu  100 5 40 800 10 3 2 50 7 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n');
    expect(times).toEqual({ busy: 150, iowait: 10, steal: 50, total: 1010 });
  });

  it('gives each share of the time between two readings', () => {
    const from = parseCpuLine('cpu 100 0 0 100 0 0 0 0')!;
    const to = parseCpuLine('cpu 150 0 10 120 0 0 0 20')!;
    expect(cpuShares(from, to)).toEqual({ busy: 0.6, iowait: 0, steal: 0.2 });
    expect(cpuShares(to, to)).toBeUndefined();
  });

  it("gives a scope's mean steal: a phase's, or the whole run's weighted by samples", () => {
    const summary = { 'warm-up': { samples: 10, busy: 0.5, iowait: 0, steal: 0 }, steady: { samples: 30, busy: 0.9, iowait: 0, steal: 0.4 } };
    expect(stealOver(summary, 'steady')).toBe(0.4);
    expect(stealOver(summary, 'run')).toBe(0.3);
    expect(stealOver(summary, 'recovery')).toBeUndefined();
    expect(stealOver(undefined, 'run')).toBeUndefined();
    expect(stealOver({ steady: { samples: 'x' } } as never, 'steady')).toBeUndefined();
  });

  it('refuses a line it cannot read', () => {
    expect(parseCpuLine('intr 1 2 3')).toBeUndefined();
    expect(parseCpuLine('cpu 1 2 x 4 5 6 7 8')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')("reads this machine's /proc/stat", () => {
    const times = parseCpuLine(readFileSync('/proc/stat', 'utf8'));
    expect(times!.total).toBeGreaterThan(times!.busy);
  });

  it.runIf(process.platform === 'linux')('samples into the history and keeps a mean per phase', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'streamproof-host-cpu-')), 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    let phase = 'warm-up';
    const sampler = new HostCpuSampler(writer, () => phase);
    sampler.start(50);
    await new Promise((r) => setTimeout(r, 400));
    phase = 'steady';
    await new Promise((r) => setTimeout(r, 400));
    sampler.stop();
    await writer.close();
    const summary = sampler.summary();
    expect(Object.keys(summary)).toEqual(['warm-up', 'steady']);
    for (const s of Object.values(summary)) {
      expect(s.samples).toBeGreaterThanOrEqual(2);
      for (const share of [s.busy, s.iowait, s.steal]) expect(share >= 0 && share <= 1).toBe(true);
    }
    const reader = await HistoryReader.open(path);
    try {
      const rows = await reader.query<{ name: string; n: number }>(`SELECT name, count(*)::INT AS n FROM metrics GROUP BY name ORDER BY name`);
      expect(rows.map((r) => r.name)).toEqual(['host.cpu.busy', 'host.cpu.iowait', 'host.cpu.steal']);
    } finally {
      await reader.close();
    }
  });
});
