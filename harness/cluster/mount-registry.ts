import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../tools/home.ts';
import { ownerIsRunning, processStartTicks } from './process-owner.ts';
import { onHarnessExit } from './process-registry.ts';

/**
 * Every filesystem the harness mounts (a broker's size-limited disk) gets a record file, as
 * every process gets a pid file (process-registry.ts): this harness unmounts its own on exit,
 * SIGINT, SIGTERM and SIGHUP, and `cluster down --all` unmounts those of a harness that died
 * (kill -9). A mount is only touched if the mount table still shows our filesystem name there.
 */
export interface MountRecord {
  path: string;
  /** The filesystem name given to `mount` (first column of /proc/mounts): how we know it is ours. */
  source: string;
  ownerPid: number;
  ownerStart?: string;
  mountedAt: string;
}

/** Our mounts carry this filesystem name, so `mount | grep streamproof` shows them. */
export const MOUNT_SOURCE = 'streamproof-disk';

export function mountsDir(): string {
  return join(stateDir(), 'mounts');
}

const recordFile = (path: string) => join(mountsDir(), `${createHash('sha256').update(path).digest('hex').slice(0, 16)}.json`);

const live = new Map<string, { record: MountRecord; unmountOnExit: boolean }>();
let hooksInstalled = false;

export function ownMountRecord(path: string): MountRecord {
  return { path, source: MOUNT_SOURCE, ownerPid: process.pid, ownerStart: processStartTicks(process.pid), mountedAt: new Date().toISOString() };
}

export function registerMount(record: MountRecord): void {
  mkdirSync(mountsDir(), { recursive: true });
  writeFileSync(recordFile(record.path), JSON.stringify(record));
  live.set(record.path, { record, unmountOnExit: true });
  installExitHooks();
}

export function unregisterMount(path: string): void {
  live.delete(path);
  rmSync(recordFile(path), { force: true });
}

/** A lab left running by `cluster up` keeps its disks after the CLI exits. */
export function keepMountAfterExit(path: string): void {
  const entry = live.get(path);
  if (entry) entry.unmountOnExit = false;
}

/** The filesystem names mounted at each mount point now (/proc/self/mounts escapes spaces as \040). */
export function mountTable(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const [source, target] = line.split(' ');
    if (!source || !target) continue;
    const path = target.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    table.set(path, [...(table.get(path) ?? []), source]);
  }
  return table;
}

export function isMountedHere(record: Pick<MountRecord, 'path' | 'source'>, table = mountTable()): boolean {
  return table.get(record.path)?.includes(record.source) ?? false;
}

/**
 * Unmounts at once. Lazy (`-l`): on an exit path the JVMs were just SIGKILLed and may still
 * hold files; the kernel detaches the mount now and frees the memory when the last one closes.
 */
export function unmountNow(path: string): void {
  execFileSync('umount', ['-l', path], { stdio: 'ignore' });
}

export function listMountRecords(): MountRecord[] {
  let names: string[] = [];
  try {
    names = readdirSync(mountsDir()).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const records: MountRecord[] = [];
  for (const name of names) {
    try {
      records.push(JSON.parse(readFileSync(join(mountsDir(), name), 'utf8')) as MountRecord);
    } catch {
      rmSync(join(mountsDir(), name), { force: true });
    }
  }
  return records;
}

/**
 * Unmounts every recorded disk of ours whose harness has exited; spares those of a harness
 * that still runs (it unmounts them itself). Records of disks already gone are dropped.
 */
export function sweepOrphanMounts(): { unmounted: MountRecord[]; spared: MountRecord[] } {
  const unmounted: MountRecord[] = [];
  const spared: MountRecord[] = [];
  const table = mountTable();
  for (const record of listMountRecords()) {
    if (isMountedHere(record, table)) {
      if (ownerIsRunning(record.ownerPid, record.ownerStart)) {
        spared.push(record);
        continue;
      }
      try {
        unmountNow(record.path);
        unmounted.push(record);
      } catch {
        continue; // keep the record: the next sweep tries again
      }
    }
    unregisterMount(record.path);
  }
  return { unmounted, spared };
}

function unmountLiveOnExit(): void {
  for (const [path, entry] of live) {
    if (!entry.unmountOnExit) continue;
    try {
      if (isMountedHere(entry.record)) unmountNow(path);
      unregisterMount(path);
    } catch {
      /* the record stays for `cluster down --all` */
    }
  }
}

/** Unmounting joins the harness's exit work: after its processes are stopped, on exit, errors and signals. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  onHarnessExit(unmountLiveOnExit);
}
