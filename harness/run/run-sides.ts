/** What a run does to all its SUT sides at once: faults applied to the same instance of each, and their instances watched. */
import type { ClockTarget } from '../clock/clock-target.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { startErrorLogCounter } from '../sut/error-log-counter.ts';
import { startMetricsScraper } from '../sut/metrics-scrape.ts';
import type { SutGroup } from '../sut/sut-group.ts';
import type { SutFaultTarget } from './fault-driver.ts';

/** The scenario's SUT faults, applied to the same instance id of every side they hit. */
export class SidesFaultTarget implements SutFaultTarget {
  constructor(private readonly groups: SutGroup[]) {}

  instance(id: number) {
    const each = () => this.groups.map((g) => g.instance(id));
    const all = async (act: (i: ReturnType<SutGroup['instance']>) => Promise<unknown> | void) => {
      const results = await Promise.allSettled(each().map(act));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    };
    return {
      kill: () => all((i) => i.kill()),
      start: () => all((i) => i.start()),
      restart: () => all((i) => i.restart()),
      pause: () => void each().forEach((i) => i.pause()),
      resume: () => void each().forEach((i) => i.resume()),
    };
  }

  /** Instance `id` of every side: a clock fault moves them all. */
  clockTargets(id: number): ClockTarget[] {
    return this.groups.flatMap((g) => g.clockTargets(id));
  }

  /** Instances running in every targeted side (a random pick then hits a live one everywhere). */
  runningInstances(): { id: number }[] {
    const [first, ...rest] = this.groups.map((g) => new Set(g.runningInstances().map((i) => i.id)));
    return [...(first ?? [])].filter((id) => rest.every((ids) => ids.has(id))).map((id) => ({ id }));
  }

  async scale(count: number): Promise<void> {
    await Promise.all(this.groups.map((g) => g.scale(count)));
  }
}

/**
 * Watches every side's instances from when the load starts (start-up noise is not the run's):
 * their error lines, and the SUT's own metrics (metricsUrl) once a second. Each is stopped by the caller.
 */
export async function watchSides(sides: { group: SutGroup; label: string; history: HistoryWriter }[]): Promise<{ stop(): Promise<void> }[]> {
  const watchers: { stop(): Promise<void> }[] = await Promise.all(
    sides.map(({ group, label, history }) => startErrorLogCounter({ logs: () => group.logs(), pattern: group.config.errorPattern, side: label, history })),
  );
  for (const { group, label, history } of sides) {
    const urlTemplate = group.config.metricsUrl;
    if (urlTemplate) watchers.push(startMetricsScraper({ urlTemplate, instances: () => group.runningInstances(), side: label, history }));
  }
  return watchers;
}
