import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDisk, freeFiller } from '../faults/disk-filler.ts';
import { LimitedDisk } from './limited-disk.ts';
import { isMountedHere, listMountRecords, MOUNT_SOURCE, ownMountRecord, registerMount, sweepOrphanMounts, unmountNow } from './mount-registry.ts';

// Real tmpfs mounts (root only), in a state folder of our own so no other run's records are touched.
const asRoot = process.getuid?.() === 0;
const stateDir = mkdtempSync(join(tmpdir(), 'streamproof-disk-state-'));
const work = mkdtempSync(join(tmpdir(), 'streamproof-disk-unit-'));
const previousStateDir = process.env.STREAMPROOF_STATE_DIR;
const ours = (path: string) => isMountedHere({ path, source: MOUNT_SOURCE });

beforeAll(() => {
  process.env.STREAMPROOF_STATE_DIR = stateDir;
});

afterAll(() => {
  for (const record of listMountRecords()) if (ours(record.path)) unmountNow(record.path);
  if (previousStateDir === undefined) delete process.env.STREAMPROOF_STATE_DIR;
  else process.env.STREAMPROOF_STATE_DIR = previousStateDir;
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!asRoot)('LimitedDisk and the filler', () => {
  it('mounts a disk of the size asked, which the filler takes to ENOSPC and gives back', async () => {
    const disk = await LimitedDisk.mount(join(work, 'a'), 16);
    expect(ours(disk.path)).toBe(true);
    expect(listMountRecords().map((r) => r.path)).toContain(disk.path);
    expect(await disk.freeBytes()).toBe(16 * 1024 * 1024);
    const filled = await fillDisk(disk.path);
    expect(filled.bytes).toBe(16 * 1024 * 1024);
    expect(await disk.freeBytes()).toBe(0);
    await freeFiller(filled.file);
    expect(await disk.freeBytes()).toBe(16 * 1024 * 1024);
    await disk.unmount();
    expect(ours(disk.path)).toBe(false);
    expect(listMountRecords()).toEqual([]);
  });

  it('refuses sizes out of range and a second mount at the same place', async () => {
    await expect(LimitedDisk.mount(join(work, 'b'), 8)).rejects.toThrow(/16\.\.4096 MB, got 8/);
    const disk = await LimitedDisk.mount(join(work, 'c'), 16);
    await expect(LimitedDisk.mount(disk.path, 16)).rejects.toThrow(/already a mounted broker disk/);
    await disk.unmount();
  });
});

describe.skipIf(!asRoot)('sweepOrphanMounts (cluster down --all)', () => {
  it("unmounts disks whose harness has exited and spares those of a harness that still runs", async () => {
    const deadOwner = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const living = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const orphan = await LimitedDisk.mount(join(work, 'orphan'), 16);
      const spared = await LimitedDisk.mount(join(work, 'spared'), 16);
      registerMount({ ...ownMountRecord(orphan.path), ownerPid: deadOwner, ownerStart: undefined });
      registerMount({ ...ownMountRecord(spared.path), ownerPid: living.pid!, ownerStart: undefined });
      const swept = sweepOrphanMounts();
      expect(swept.unmounted.map((r) => r.path)).toEqual([orphan.path]);
      expect(swept.spared.map((r) => r.path)).toEqual([spared.path]);
      expect(ours(orphan.path)).toBe(false);
      expect(ours(spared.path)).toBe(true);
      await spared.unmount();
    } finally {
      living.kill('SIGKILL');
    }
  });
});
