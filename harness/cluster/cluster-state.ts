import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clustersDir } from '../tools/home.ts';
import { isOurs, killGroup, unregisterProcess, type PidRecord } from './process-registry.ts';

/** A background cluster started by `cluster up`: what `status` and `down` need to find it again. */
export interface ClusterState {
  name: string;
  startedAt: string;
  details: Record<string, unknown> & { bootstrapServers: string; toxiproxyUrl?: string };
  processes: PidRecord[];
}

const fileOf = (name: string) => join(clustersDir(), `${name}.json`);

export async function saveClusterState(state: ClusterState): Promise<void> {
  await mkdir(clustersDir(), { recursive: true });
  await writeFile(fileOf(state.name), JSON.stringify(state, null, 2));
}

export async function loadClusterStates(): Promise<ClusterState[]> {
  let names: string[];
  try {
    names = (await readdir(clustersDir())).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const states: ClusterState[] = [];
  for (const name of names) {
    try {
      states.push(JSON.parse(await readFile(join(clustersDir(), name), 'utf8')) as ClusterState);
    } catch {
      await rm(join(clustersDir(), name), { force: true });
    }
  }
  return states;
}

/** Stops a background cluster's processes (those still ours) and forgets it. */
export async function stopClusterState(state: ClusterState): Promise<number> {
  let stopped = 0;
  for (const record of state.processes) {
    if (isOurs(record)) {
      killGroup(record.pid, 'SIGCONT');
      killGroup(record.pid, 'SIGKILL');
      stopped++;
    }
    unregisterProcess(record.pid);
  }
  await rm(fileOf(state.name), { force: true });
  return stopped;
}

export async function forgetAllClusterStates(): Promise<void> {
  await rm(clustersDir(), { recursive: true, force: true });
}
