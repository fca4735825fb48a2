/**
 * The schema registry of a lab: started beside the brokers when a scenario sends through a
 * registry (local and docker providers), or a user's registry (`--schema-registry URL`, any provider).
 * A SUT reaches the lab's registry through the Toxiproxy link `registry`, so `registry.*` faults
 * slow or cut its schema lookups; the harness's own calls (registering the workload's schemas,
 * decoding the history) go to the registry directly and are never faulted.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_REGISTRY_VERSION } from '../tools/apicurio-registry.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { allocatePortBlock } from '../cluster/ports.ts';
import { HarnessError } from '../errors.ts';
import { SchemaRegistryProcess } from './registry-process.ts';

/** The Toxiproxy link in front of the lab's registry. */
export const REGISTRY_LINK = 'registry';

export interface LabRegistry {
  /** What SUTs are given (STREAMPROOF_SCHEMA_REGISTRY_URL): through the link when there is one. */
  readonly url: string;
  /** The registry itself, for the harness. */
  readonly directUrl: string;
  /** The Toxiproxy link SUT traffic takes; undefined for a user's registry. */
  readonly link: string | undefined;
  /** The registry process we started (undefined for a user's registry). */
  readonly pid: number | undefined;
  /** Its real port and the link's (the ports it holds), for a lab's registry. */
  readonly ports: number[];
  stop(): Promise<void>;
}

/**
 * Starts Apicurio Registry beside a lab the harness runs (a process for a local lab, a container
 * for a docker lab), behind a `registry` link on the lab's Toxiproxy.
 */
export async function startLabRegistry(cluster: StartedCluster, dir: string, log?: (line: string) => void): Promise<LabRegistry> {
  const toxiproxy = cluster.toxiproxy();
  if (cluster.provider === 'external' || !toxiproxy) {
    throw new HarnessError('PROVIDER_UNAVAILABLE', `a schema registry is started only beside a lab the harness runs (this one is ${cluster.provider}): give your registry with --schema-registry URL`);
  }
  const base = await allocatePortBlock(2);
  const host = '127.0.0.1';
  log?.(`starting the schema registry (Apicurio Registry) on ${host}:${base}`);
  await mkdir(dir, { recursive: true });
  const registry = await startRegistryOf(cluster, base, dir, log);
  try {
    await toxiproxy.create([{ name: REGISTRY_LINK, listen: `${host}:${base + 1}`, upstream: `${host}:${base}` }]);
  } catch (error) {
    await registry.stop();
    throw error;
  }
  return {
    // Confluent-compatible clients take the ccompat root as their schema.registry.url.
    url: `http://${host}:${base + 1}/apis/ccompat/v7`,
    directUrl: `http://${host}:${base}`,
    link: REGISTRY_LINK,
    pid: registry.pid,
    ports: [base, base + 1],
    stop: () => registry.stop(),
  };
}

async function startRegistryOf(cluster: StartedCluster, port: number, dir: string, log?: (line: string) => void): Promise<{ pid: number | undefined; stop(): Promise<void> }> {
  if (cluster.provider === 'docker') {
    // Loaded only for a docker lab: the local path never pulls in the Docker client.
    const { DockerCluster } = await import('../cluster/docker-provider.ts');
    if (!(cluster instanceof DockerCluster)) throw new HarnessError('INTERNAL', 'a docker lab that is not a DockerCluster');
    const container = await cluster.startRegistry(DEFAULT_REGISTRY_VERSION, port, dir, log);
    return { pid: undefined, stop: () => container.stop() };
  }
  const process = await SchemaRegistryProcess.start({ dir, host: '127.0.0.1', port, log });
  return { pid: process.pid, stop: () => process.stop() };
}

/** A registry the user runs: no link, nothing to stop. */
export function externalRegistry(url: string): LabRegistry {
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new HarnessError('USAGE', `--schema-registry: expected an http(s) URL, got '${url}'`);
  return { url, directUrl: url, link: undefined, pid: undefined, ports: [], stop: async () => undefined };
}

export const registryDir = (runsBase: string) => join(runsBase, 'schema-registry');

/** The lab's registry when one of the scenarios sends through a registry; undefined when none does. */
export async function registryFor(scenarios: readonly { workload: { encoding?: unknown } }[], cluster: StartedCluster, dir: string, log?: (line: string) => void): Promise<LabRegistry | undefined> {
  return scenarios.some((s) => s.workload.encoding) ? startLabRegistry(cluster, dir, log) : undefined;
}
