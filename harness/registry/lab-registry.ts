/**
 * The schema registry of a lab: started beside the brokers when a scenario sends through a
 * registry (local provider), or a user's registry (`--schema-registry URL`, any provider).
 * A SUT reaches the lab's registry through the Toxiproxy link `registry`, so `registry.*` faults
 * slow or cut its schema lookups; the harness's own calls (registering the workload's schemas,
 * decoding the history) go to the registry directly and are never faulted.
 */
import { join } from 'node:path';
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
  readonly logFile: string | undefined;
  /** The registry process we started (undefined for a user's registry). */
  readonly pid: number | undefined;
  /** Its real port and the link's (the ports it holds), for a lab's registry. */
  readonly ports: number[];
  stop(): Promise<void>;
}

/** Starts Apicurio Registry for a local lab, behind a `registry` link on the lab's Toxiproxy. */
export async function startLabRegistry(cluster: StartedCluster, dir: string, log?: (line: string) => void): Promise<LabRegistry> {
  const toxiproxy = cluster.toxiproxy();
  if (cluster.provider !== 'local' || !toxiproxy) {
    throw new HarnessError('PROVIDER_UNAVAILABLE', `a schema registry is started only beside a local lab (this one is ${cluster.provider}): give your registry with --schema-registry URL`);
  }
  const base = await allocatePortBlock(2);
  const host = '127.0.0.1';
  log?.(`starting the schema registry (Apicurio Registry) on ${host}:${base}`);
  const registry = await SchemaRegistryProcess.start({ dir, host, port: base, log });
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
    logFile: registry.logFile,
    pid: registry.pid,
    ports: [base, base + 1],
    stop: () => registry.stop(),
  };
}

/** A registry the user runs: no link, nothing to stop. */
export function externalRegistry(url: string): LabRegistry {
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new HarnessError('USAGE', `--schema-registry: expected an http(s) URL, got '${url}'`);
  return { url, directUrl: url, link: undefined, logFile: undefined, pid: undefined, ports: [], stop: async () => undefined };
}

export const registryDir = (runsBase: string) => join(runsBase, 'schema-registry');

/** The lab's registry when one of the scenarios sends through a registry; undefined when none does. */
export async function registryFor(scenarios: readonly { workload: { encoding?: unknown } }[], cluster: StartedCluster, dir: string, log?: (line: string) => void): Promise<LabRegistry | undefined> {
  return scenarios.some((s) => s.workload.encoding) ? startLabRegistry(cluster, dir, log) : undefined;
}
