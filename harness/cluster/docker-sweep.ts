import { spawnSync } from 'node:child_process';
import type Dockerode from 'dockerode';
import { ownerIsRunning, processStartTicks } from './process-owner.ts';
import { onHarnessExit } from './process-registry.ts';

/**
 * Our stand-in for testcontainers' Ryuk reaper (its image cannot be pulled offline). Every
 * container we start carries its owner's pid and start time; the owner removes its
 * containers on exit, an uncaught error, SIGINT, SIGTERM and SIGHUP, and the next start
 * (or `sweepDockerOrphans`) removes those whose owner died without doing so (kill -9).
 */
export const LABEL_OWNER_PID = 'streamproof.owner-pid';
export const LABEL_OWNER_START = 'streamproof.owner-start';
export const LABEL_CLUSTER = 'streamproof.cluster';
/** Containers of a detached cluster (`cluster up`) end with this: only a sweep with `detached` takes them. */
export const DETACHED_SUFFIX = '-detached';

const live = new Set<string>();
let hooksInstalled = false;

export function ownerLabels(clusterName: string): Record<string, string> {
  return { [LABEL_OWNER_PID]: String(process.pid), [LABEL_OWNER_START]: processStartTicks(process.pid) ?? '', [LABEL_CLUSTER]: clusterName };
}

/** Removes the container when this process ends, unless it is forgotten first. */
export function removeOnExit(containerId: string): void {
  live.add(containerId);
  installHooks();
}

/** The container is gone, or must outlive us (`cluster up`). */
export function forget(containerId: string): void {
  live.delete(containerId);
}

/**
 * Removes containers whose owner died (with `detached`, also those of `cluster up` labs);
 * never those of a harness that still runs. Returns their names.
 */
export async function sweepDockerOrphans(docker: Dockerode, options: { detached?: boolean } = {}): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL_OWNER_PID] } });
  const removed: string[] = [];
  for (const info of containers) {
    const pid = Number(info.Labels[LABEL_OWNER_PID]);
    const ownerAlive = ownerIsRunning(pid, info.Labels[LABEL_OWNER_START]);
    const detached = info.Names.some((n) => n.endsWith(DETACHED_SUFFIX));
    if (ownerAlive || (detached && !options.detached)) continue;
    await docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
    removed.push(info.Names[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12));
  }
  return removed;
}

/**
 * On 'exit' nothing asynchronous runs, so a child Node process removes the containers
 * through the engine's API (no docker CLI needed) while we wait for it.
 */
function removeLiveSync(): void {
  if (live.size === 0) return;
  const script = `
    const http = require('node:http');
    const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    const target = host.startsWith('unix://') ? { socketPath: host.slice(7) } : (() => { const u = new URL(host.replace('tcp://', 'http://')); return { host: u.hostname, port: Number(u.port) }; })();
    const ids = process.argv.slice(1);
    Promise.all(ids.map((id) => new Promise((done) => {
      const req = http.request({ ...target, method: 'DELETE', path: '/containers/' + id + '?force=true&v=true' }, (res) => { res.resume(); res.on('end', done); });
      req.on('error', done); req.end();
    }))).then(() => process.exit(0));`;
  spawnSync(process.execPath, ['-e', script, ...live], { stdio: 'ignore', timeout: 30_000, env: process.env });
  live.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  onHarnessExit(removeLiveSync);
}
