/**
 * The SUT sides of a run: each side's SUT on the run's topics, and what a run does to all its
 * sides at once (faults applied to the same instance of each, their instances watched).
 */
import { join } from 'node:path';
import type { ClockTarget } from '../clock/clock-target.ts';
import { sourceLayerOf, type StartedCluster } from '../cluster/started-cluster.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { startErrorLogCounter } from '../sut/error-log-counter.ts';
import { startMetricsScraper } from '../sut/metrics-scrape.ts';
import { runSinkDir, type SutConfig } from '../sut/sut-config.ts';
import { SutGroup } from '../sut/sut-group.ts';
import type { SutFaultTarget } from './fault-driver.ts';
import { prefixSut } from './run-topics.ts';

/**
 * One SUT of a run. A plain run has one; `streamproof compare` starts several on the same
 * input: shadow mode gives each its own consumer group and output topics, canary mode puts
 * them in one consumer group writing the same topics.
 */
export interface RunSide {
  /** Names the SUT in the run (`baseline`, `candidate`); '' for a plain run. */
  label: string;
  /** As described (topic names unprefixed). */
  described: SutConfig;
  /** Prefix of its output, DLQ, late and bronze topics; the input always takes the run's prefix. */
  outputPrefix: string;
  groupId: string;
  instances: number;
  /** The scenario's SUT faults (crash, pause, restart, scale) hit this SUT. */
  sutFaults: boolean;
}

/** A side's SUT with the run's topic names: the shared input topic, its own other topics. */
export function sideSut(side: RunSide, runPrefix: string, overrides: { partitions?: number }): SutConfig {
  const own = prefixSut(side.described, side.outputPrefix, { instances: side.instances, partitions: overrides.partitions });
  const shared = prefixSut(side.described, runPrefix, { partitions: overrides.partitions });
  return { ...own, topics: { ...own.topics, input: shared.topics.input } };
}

/** STREAMPROOF_SINK_DIR of one side of a run (runSinkDir: none without sinks). */
export function sideSinkDir(sut: SutConfig, runDir: string, label: string): string | undefined {
  return runSinkDir(sut, join(runDir, `sink${label ? `-${label}` : ''}`));
}

/** Each side's SUT group, not started, on the run's topics. */
export function sideGroups(sides: RunSide[], run: { runId: string; prefix: string; cluster: StartedCluster; runDir: string; partitions?: number; topicConfig?: Record<string, string>; registryUrl?: string }): SutGroup[] {
  const { cluster, runId, runDir } = run;
  return sides.map((side) => {
    const sut = sideSut(side, run.prefix, { partitions: run.partitions });
    return new SutGroup({
      config: sut,
      run: { runId, bootstrapServers: cluster.bootstrapServers(), topics: sut.topics, groupId: side.groupId, sinkDir: sideSinkDir(sut, runDir, side.label), schemaRegistryUrl: run.registryUrl },
      clientSettings: cluster.clientSettings(`streamproof-sut-${runId}`),
      runDir,
      replicationFactor: Math.min(3, cluster.brokers().length),
      // Instance N leaves from the lab's address for instance N (what `net.partition` cuts).
      sourceLayer: (instance) => sourceLayerOf(cluster, (a) => a.sutInstance(instance)),
      topicConfig: run.topicConfig,
    });
  });
}

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
