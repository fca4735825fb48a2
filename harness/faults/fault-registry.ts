import { HarnessError } from '../errors.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { FaultType } from './fault.ts';
import { PROCESS_FAULTS } from './process-faults.ts';
import { NETWORK_FAULTS } from './network-faults.ts';
import { REGISTRY_FAULTS } from './registry-faults.ts';
import { PARTITION_FAULTS } from './partition-faults.ts';
import { DISK_FAULTS } from './disk-faults.ts';
import { CLOCK_FAULTS } from './clock-faults.ts';

const registry = new Map<string, FaultType<any>>();

export function registerFault(type: FaultType<any>): void {
  registry.set(type.name, type);
}

export function faultType(name: string, path = 'fault'): FaultType<unknown> {
  const type = registry.get(name);
  if (!type) throw new HarnessError('FAULT_UNKNOWN', `${path}: unknown fault type '${name}' (known: ${[...registry.keys()].join(', ')})`);
  return type;
}

/** The registered type of that name, or undefined (SUT and data faults are not registered here). */
export function registeredFaultType(name: string): FaultType<unknown> | undefined {
  return registry.get(name);
}

export function faultTypes(): FaultType<unknown>[] {
  return [...registry.values()];
}

for (const type of [...PROCESS_FAULTS, ...NETWORK_FAULTS, ...PARTITION_FAULTS, ...REGISTRY_FAULTS, ...DISK_FAULTS, ...CLOCK_FAULTS]) registerFault(type);

/**
 * Refuses, before anything runs, a schedule naming a fault this cluster and machine cannot
 * carry out: one line per missing capability, `unavailable here: <reason>` (exit 3).
 */
export async function checkFaultsAvailable(cluster: StartedCluster, typeNames: Iterable<string>, where: string): Promise<void> {
  for (const name of new Set(typeNames)) {
    const type = registry.get(name);
    const reason = type && (await faultUnavailable(type, cluster));
    if (reason !== undefined) throw new HarnessError('FAULT_UNSUPPORTED', `${where}: ${name} is unavailable here: ${reason}`);
  }
}

/** A cluster whose broker processes the harness cannot signal (external). */
export function lacksProcessControl(cluster: StartedCluster): boolean {
  return cluster.brokerProcess(cluster.brokers()[0]?.id ?? -1) === undefined;
}

/** Why this cluster and machine cannot carry out faults of `type` (undefined: they can). */
export async function faultUnavailable(type: FaultType<unknown>, cluster: StartedCluster): Promise<string | undefined> {
  if (type.needsProcessControl && lacksProcessControl(cluster)) {
    return `it needs broker process control, which the ${cluster.provider} provider does not offer`;
  }
  return type.unavailable?.(cluster);
}
