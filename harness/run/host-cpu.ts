import { readFileSync } from 'node:fs';
import type { HistoryWriter } from '../history/history-writer.ts';
import { nowUs } from '../history/clock.ts';

/** Cumulative CPU time of the whole machine, in clock ticks (the `cpu` line of /proc/stat). */
export interface CpuTimes {
  busy: number;
  iowait: number;
  /** Time the hypervisor gave our virtual CPUs to someone else. */
  steal: number;
  total: number;
}

/** Shares of all CPUs' time between two readings, 0..1. */
export interface CpuShares {
  busy: number;
  iowait: number;
  steal: number;
}

/** Parses the aggregate `cpu` line: user nice system idle iowait irq softirq steal (guest time is already in user). */
export function parseCpuLine(stat: string): CpuTimes | undefined {
  const fields = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq;
  return { busy, iowait, steal, total: busy + idle + iowait + steal };
}

export function cpuShares(from: CpuTimes, to: CpuTimes): CpuShares | undefined {
  const total = to.total - from.total;
  if (total <= 0) return undefined;
  return { busy: (to.busy - from.busy) / total, iowait: (to.iowait - from.iowait) / total, steal: (to.steal - from.steal) / total };
}

function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseCpuLine(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined; // not Linux: no host figures
  }
}

/** Where a run's history keeps each phase's mean host CPU shares (`run_meta`). */
export const HOST_CPU_META_KEY = 'host.cpu';

/**
 * The mean share of the CPU the hypervisor may take over an SLA's scope before the harness
 * stops judging timing there. Quiet runs here measure 0-2% per phase; the runs whose latency
 * SLAs failed with nothing wrong in the pipeline measured 21-57% (docs/quality-gate.md).
 */
export const STARVED_STEAL = 0.15;

export type PhaseCpu = { samples: number } & CpuShares;

/** The mean steal over a scope: a phase of the summary, or `run` (every phase, weighted by samples); undefined when not sampled. */
export function stealOver(summary: Readonly<Record<string, PhaseCpu>> | undefined, scope: string): number | undefined {
  const phases = (scope === 'run' ? Object.values(summary ?? {}) : [summary?.[scope]])
    .filter((p): p is PhaseCpu => typeof p?.samples === 'number' && typeof p.steal === 'number' && p.samples > 0);
  const samples = phases.reduce((n, p) => n + p.samples, 0);
  if (samples === 0) return undefined;
  return Math.round((phases.reduce((sum, p) => sum + p.steal * p.samples, 0) / samples) * 100) / 100;
}

/**
 * Samples the machine's CPU every interval into the history (`host.cpu.busy`, `.iowait`,
 * `.steal`) and keeps each phase's mean. Evidence, not a verdict: on this 2-core machine a
 * loaded phase is 80–97% busy, and the hypervisor now and then takes 20–35% for a few
 * seconds; a latency SLA missed in such a phase can be read against it.
 */
export class HostCpuSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly perPhase = new Map<string, PhaseCpu>();

  constructor(
    private readonly history: HistoryWriter,
    private readonly phase: () => string,
  ) {}

  start(intervalMs = 1000): void {
    let last = readCpuTimes();
    if (!last) return;
    this.timer = setInterval(() => {
      const now = readCpuTimes();
      const shares = last && now ? cpuShares(last, now) : undefined;
      last = now;
      if (!shares) return;
      const tsUs = nowUs();
      for (const [kind, value] of Object.entries(shares)) this.history.recordMetric({ tsUs, name: `host.cpu.${kind}`, labels: null, value });
      const sum = this.perPhase.get(this.phase()) ?? { samples: 0, busy: 0, iowait: 0, steal: 0 };
      this.perPhase.set(this.phase(), { samples: sum.samples + 1, busy: sum.busy + shares.busy, iowait: sum.iowait + shares.iowait, steal: sum.steal + shares.steal });
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Each phase's mean shares (rounded to 0.01), by phase name. */
  summary(): Record<string, PhaseCpu> {
    const mean = (sum: number, n: number) => Math.round((sum / n) * 100) / 100;
    return Object.fromEntries(
      [...this.perPhase].map(([phase, s]) => [phase, { samples: s.samples, busy: mean(s.busy, s.samples), iowait: mean(s.iowait, s.samples), steal: mean(s.steal, s.samples) }]),
    );
  }
}
