import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuShares, parseCpuLine } from './host-cpu.ts';

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

  it('refuses a line it cannot read', () => {
    expect(parseCpuLine('intr 1 2 3')).toBeUndefined();
    expect(parseCpuLine('cpu 1 2 x 4 5 6 7 8')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')("reads this machine's /proc/stat", () => {
    const times = parseCpuLine(readFileSync('/proc/stat', 'utf8'));
    expect(times!.total).toBeGreaterThan(times!.busy);
  });
});
