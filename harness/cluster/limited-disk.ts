import { execFile } from 'node:child_process';
import { mkdir, statfs } from 'node:fs/promises';
import { promisify } from 'node:util';
import { HarnessError } from '../errors.ts';
import { isMountedHere, keepMountAfterExit, MOUNT_SOURCE, ownMountRecord, registerMount, unregisterMount } from './mount-registry.ts';

const exec = promisify(execFile);

/** Largest broker disk we mount: tmpfs lives in RAM, and a full one holds all of it. */
export const MAX_DISK_MB = 4096;
export const MIN_DISK_MB = 16;
/** A scenario naming `disk.full` without `brokerDiskMb` gets this: room for minutes of a lab's load. */
export const DEFAULT_DISK_MB = 256;

/**
 * A size-limited filesystem of its own at `path`: a tmpfs with `size=<mb>m`. Chosen over a
 * loop-mounted image because it needs no image file, no loop device (one more thing a crash
 * could leave behind) and no mkfs, mounts in milliseconds, and returns ENOSPC at the limit
 * exactly as a full disk does. Its contents live in memory and vanish on unmount: broker
 * data is throwaway here anyway (LocalCluster.stop deletes it).
 */
export class LimitedDisk {
  private mounted = true;

  private constructor(
    readonly path: string,
    readonly sizeBytes: number,
  ) {}

  static async mount(path: string, sizeMb: number): Promise<LimitedDisk> {
    if (!Number.isInteger(sizeMb) || sizeMb < MIN_DISK_MB || sizeMb > MAX_DISK_MB) {
      throw new HarnessError('CONFIG_INVALID', `a broker disk takes ${MIN_DISK_MB}..${MAX_DISK_MB} MB, got ${sizeMb}`);
    }
    await mkdir(path, { recursive: true });
    if (isMountedHere({ path, source: MOUNT_SOURCE })) throw new HarnessError('CLUSTER_START_FAILED', `${path} is already a mounted broker disk`);
    try {
      await exec('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, MOUNT_SOURCE, path]);
    } catch (error) {
      const why = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
      throw new HarnessError('FAULT_UNSUPPORTED', `cannot mount a ${sizeMb} MB tmpfs at ${path}: ${why}${process.getuid?.() === 0 ? '' : ' (mounting needs root)'}`, { cause: error });
    }
    registerMount(ownMountRecord(path));
    return new LimitedDisk(path, sizeMb * 1024 * 1024);
  }

  get isMounted(): boolean {
    return this.mounted;
  }

  /** Bytes a writer can still put on it now. */
  async freeBytes(): Promise<number> {
    const s = await statfs(this.path);
    return s.bavail * s.bsize;
  }

  /** `cluster up` leaves the lab running after the CLI exits; the disk stays with it. */
  keepAfterExit(): void {
    keepMountAfterExit(this.path);
  }

  /** Unmounts (lazily: a just-killed JVM may still hold files) and forgets the record. Idempotent. */
  async unmount(): Promise<void> {
    if (!this.mounted) return;
    this.mounted = false;
    if (isMountedHere({ path: this.path, source: MOUNT_SOURCE })) await exec('umount', ['-l', this.path]);
    unregisterMount(this.path);
  }
}
