import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../tools/install-lock.ts';
import { MOUNT_SOURCE, mountTable } from './mount-registry.ts';
import { waitUntilGone } from './process-registry.ts';

// Each case starts a real 1-broker lab on a size-limited disk (a tmpfs mount) in a child
// "harness" process, ends that process one way or another, and checks that no mount of ours
// is left at the broker's disk and no process of the lab remains. Needs root (mount).
const root = join(import.meta.dirname, '..', '..');
const runTs = join(root, 'bin', 'run-ts.js');
const cli = join(root, 'bin', 'streamproof.js');
const leftovers: { pids: number[]; mounts: string[] }[] = [];
// Our own state folder, so `cluster down --all` here cannot touch other labs or disks on the machine.
const env = { ...process.env, STREAMPROOF_STATE_DIR: mkdtempSync(join(tmpdir(), 'streamproof-disk-orphan-state-')) };
const asRoot = process.getuid?.() === 0;

afterAll(() => {
  for (const { pids, mounts } of leftovers) {
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const path of mounts) if (mountedByUs(path)) spawnSync('umount', ['-l', path]);
  }
});

const mountedByUs = (path: string) => mountTable().get(path)?.includes(MOUNT_SOURCE) ?? false;

interface Held {
  child: ReturnType<typeof spawn>;
  pids: number[];
  mounts: string[];
  exited: Promise<number | null>;
}

async function holdLab(mode: 'exit' | 'throw' | 'wait'): Promise<Held> {
  const child = spawn(process.execPath, [runTs, join(root, 'harness', 'testing', 'hold-disk-lab.ts'), mode, mkdtempSync(join(tmpdir(), 'streamproof-disk-orphan-'))], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ pids: number[]; mounts: string[] }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice(6)));
    });
    void exited.then((code) => reject(new Error(`harness exited ${code} before ready: ${stderr.slice(-500)}`)));
  });
  leftovers.push(ready);
  expect(ready.mounts).toHaveLength(1);
  expect(ready.mounts.every(mountedByUs)).toBe(true);
  return { child, ...ready, exited };
}

async function expectNothingLeft(held: Held): Promise<void> {
  expect(await waitUntilGone(held.pids, 20_000)).toEqual([]);
  expect(held.mounts.filter(mountedByUs)).toEqual([]);
}

describe.skipIf(!asRoot)('no broker disk left mounted', () => {
  it('after a normal exit', async () => {
    const held = await holdLab('exit');
    expect(await held.exited).toBe(0);
    await expectNothingLeft(held);
  });

  it('after an uncaught error', async () => {
    const held = await holdLab('throw');
    expect(await held.exited).not.toBe(0);
    await expectNothingLeft(held);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('after %s', async (signal) => {
    const held = await holdLab('wait');
    held.child.kill(signal);
    expect(await held.exited).toBe(signal === 'SIGINT' ? 130 : 143);
    await expectNothingLeft(held);
  });

  it('after kill -9 of the harness followed by `cluster down --all`', async () => {
    const held = await holdLab('wait');
    held.child.kill('SIGKILL');
    await held.exited;
    expect(held.mounts.every(mountedByUs)).toBe(true);
    const down = spawnSync(process.execPath, [cli, 'cluster', 'down', '--all'], { encoding: 'utf8', env });
    expect(down.status).toBe(0);
    expect(down.stdout).toMatch(/unmounted 1 broker disk\(s\)/);
    await expectNothingLeft(held);
  });
});
