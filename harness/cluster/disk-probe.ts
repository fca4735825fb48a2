import { execFile } from 'node:child_process';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MOUNT_SOURCE } from './mount-registry.ts';

const exec = promisify(execFile);

let cached: Promise<string | undefined> | undefined;

/**
 * Why size-limited broker disks (and so `disk.full`) cannot be had on this machine, or
 * undefined when they can: not root, or the kernel or a container refuses a tmpfs mount.
 * Tried for real once per process: a 1 MB tmpfs mounted on a temp dir and unmounted.
 */
export function limitedDiskUnavailable(): Promise<string | undefined> {
  cached ??= probe();
  return cached;
}

async function probe(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `size-limited broker disks are tmpfs mounts, Linux only (this is ${process.platform})`;
  const uid = process.getuid?.();
  if (uid !== 0) return `mounting a broker's disk needs root (running as uid ${uid})`;
  const dir = await mkdtemp(join(tmpdir(), 'streamproof-mount-probe-'));
  try {
    await exec('mount', ['-t', 'tmpfs', '-o', 'size=1m', MOUNT_SOURCE, dir]);
  } catch (error) {
    const why = ((error as { stderr?: string }).stderr || (error as Error).message).trim();
    await rmdir(dir).catch(() => undefined);
    return `mount refused a tmpfs: ${why}`;
  }
  await exec('umount', [dir]).catch(() => undefined);
  await rmdir(dir).catch(() => undefined);
  return undefined;
}
