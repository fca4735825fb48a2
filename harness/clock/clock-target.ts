import { join } from 'node:path';
import type { LaunchLayer } from '../cluster/launch-layer.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';

/** One process whose clock a fault moves: its launch layers, its clock file, and how to restart it. */
export interface ClockTarget {
  /** `broker 2`, `sut-0`, `sut-0 (canary)`. */
  label: string;
  layers: Map<string, LaunchLayer>;
  clockFile: string;
  readonly running: boolean;
  readonly pid: number | undefined;
  /** Stops and starts the process (waiting until it is ready again): the new clock applies from its start. */
  restart(): Promise<void>;
}

/** The SUT instances clock faults can reach (a SutGroup, or the sides of a compare). */
export interface SutClocks {
  runningInstances(): { id: number }[];
  /** The processes of instance `id` (one per side). */
  clockTargets(id: number): ClockTarget[];
}

/** Where a process's clock file lives: beside its logs. */
export function clockFileFor(dir: string, processName: string): string {
  return join(dir, 'clock', `${processName}.faketime`);
}

/** A broker of a lab the harness started (local provider); others have no launch to add a clock to. */
export function brokerClockTarget(cluster: StartedCluster, id: number, label: string): ClockTarget {
  const control = cluster.brokerProcess(id);
  if (!control?.layers || cluster.runDir === undefined) {
    throw new HarnessError('FAULT_UNSUPPORTED', `clock faults on brokers need brokers the harness launches itself (the local provider), not the ${cluster.provider} provider`);
  }
  return {
    label,
    layers: control.layers,
    clockFile: clockFileFor(cluster.runDir, `broker-${id}`),
    get running() {
      return control.running;
    },
    get pid() {
      return control.pid;
    },
    restart: () => control.restart(),
  };
}
