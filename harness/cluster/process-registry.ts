import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidsDir } from '../tools/home.ts';
import { isAlive } from '../tools/install-lock.ts';
import { ownerIsRunning, processStartTicks } from './process-owner.ts';

/**
 * Every process the harness starts gets a pid file, so that a later `cluster down --all`
 * can stop what a crashed (kill -9) harness left behind. A pid is only signalled if its
 * command line still carries our marker, so a recycled pid is never hit, and only if the
 * harness that started it has exited, so another run's live lab is never hit.
 */
export interface PidRecord {
  pid: number;
  name: string;
  /** A string that must appear in /proc/<pid>/cmdline for the pid to still be ours. */
  marker: string;
  ownerPid: number;
  /** The owner's start time (process-owner.ts), so a recycled owner pid does not pass as alive. */
  ownerStart?: string;
  startedAt: string;
}

/** The record of a process this harness process starts now. */
export function ownRecord(pid: number, name: string, marker: string): PidRecord {
  return { pid, name, marker, ownerPid: process.pid, ownerStart: processStartTicks(process.pid), startedAt: new Date().toISOString() };
}

const live = new Map<number, { record: PidRecord; stopOnExit: boolean }>();
let hooksInstalled = false;

export function registerProcess(record: PidRecord, stopOnExit: boolean): void {
  mkdirSync(pidsDir(), { recursive: true });
  writeFileSync(join(pidsDir(), `${record.pid}.json`), JSON.stringify(record));
  live.set(record.pid, { record, stopOnExit });
  installExitHooks();
}

export function unregisterProcess(pid: number): void {
  live.delete(pid);
  rmSync(join(pidsDir(), `${pid}.json`), { force: true });
}

/** Processes started by `cluster up` must outlive the CLI that started them. */
export function keepAfterExit(pid: number): void {
  const entry = live.get(pid);
  if (entry) entry.stopOnExit = false;
}

export function isOurs(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  try {
    // cmdline separates arguments with NULs; a marker made of several arguments has spaces (a SUT's command).
    return readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(record.marker);
  } catch {
    return false;
  }
}

/** Kills a process group outright; used on exit paths where nothing async can run. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export function listPidRecords(): PidRecord[] {
  let names: string[] = [];
  try {
    names = readdirSync(pidsDir()).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const records: PidRecord[] = [];
  for (const name of names) {
    try {
      records.push(JSON.parse(readFileSync(join(pidsDir(), name), 'utf8')) as PidRecord);
    } catch {
      rmSync(join(pidsDir(), name), { force: true });
    }
  }
  return records;
}

/** Waits until none of the pids is alive (or the time is up); returns the ones still alive. */
export async function waitUntilGone(pids: number[], timeoutMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    alive = alive.filter(isAlive);
  }
  return alive;
}

/**
 * Stops every recorded process that is still ours and whose harness has exited (crashed,
 * or a `cluster up` CLI), SIGCONT first so paused ones can die. Processes of a harness that
 * still runs are spared and returned apart: that run stops them itself.
 */
export function sweepOrphans(): { stopped: PidRecord[]; spared: PidRecord[] } {
  const stopped: PidRecord[] = [];
  const spared: PidRecord[] = [];
  for (const record of listPidRecords()) {
    if (isOurs(record)) {
      if (ownerIsRunning(record.ownerPid, record.ownerStart)) {
        spared.push(record);
        continue;
      }
      killGroup(record.pid, 'SIGCONT');
      killGroup(record.pid, 'SIGKILL');
      stopped.push(record);
    }
    unregisterProcess(record.pid);
  }
  return { stopped, spared };
}

const exitWork = new Set<() => void>();

/**
 * Synchronous clean-up to run when this harness exits, however it exits short of SIGKILL
 * (nftables rules, mounts): after the processes are stopped. Returns the function that drops it.
 */
export function onHarnessExit(work: () => void): () => void {
  exitWork.add(work);
  installExitHooks();
  return () => exitWork.delete(work);
}

function stopLiveOnExit(): void {
  for (const [pid, entry] of live) {
    if (!entry.stopOnExit) continue;
    killGroup(pid, 'SIGCONT');
    killGroup(pid, 'SIGKILL');
    unregisterProcess(pid);
  }
  for (const work of [...exitWork]) {
    exitWork.delete(work);
    try {
      work();
    } catch {
      // exiting: nothing to report to, and the next sweep removes what is left
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', stopLiveOnExit);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopLiveOnExit();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
