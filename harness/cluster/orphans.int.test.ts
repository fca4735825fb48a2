import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../tools/install-lock.ts';
import { isPortFree } from './ports.ts';
import { waitUntilGone } from './process-registry.ts';
import { listPartitionTables } from '../faults/nft-rules.ts';
import { MOUNT_SOURCE, mountTable } from './mount-registry.ts';

// Each case starts a real 1-broker lab with its schema registry in a child "harness" process, ends
// that process one way or another, and checks that no JVM or Toxiproxy of ours is left, the ports are
// free, and (as root) no partition rule of that harness and no broker disk mount is left.
const root = join(import.meta.dirname, '..', '..');
const runTs = join(root, 'bin', 'run-ts.js');
const cli = join(root, 'bin', 'streamproof.js');
const leftovers: number[] = [];
const mountsLeft: string[] = [];
const mountedByUs = (path: string) => mountTable().get(path)?.includes(MOUNT_SOURCE) ?? false;
// Our own pid/state folder, so `cluster down --all` here cannot touch other labs on the machine.
const env = { ...process.env, STREAMPROOF_STATE_DIR: mkdtempSync(join(tmpdir(), 'streamproof-orphan-state-')) };

afterAll(() => {
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const path of mountsLeft) if (mountedByUs(path)) spawnSync('umount', ['-l', path]);
});

interface Held {
  child: ReturnType<typeof spawn>;
  pids: number[];
  endpoints: string[];
  /** A net.partition was in force: its nftables table must be gone too. */
  partitioned: boolean;
  /** The broker's size-limited disk (a tmpfs mount), where this machine allows one. */
  mounts: string[];
  exited: Promise<number | null>;
}

async function holdLab(mode: 'exit' | 'throw' | 'wait'): Promise<Held> {
  const child = spawn(process.execPath, [runTs, join(root, 'harness', 'testing', 'hold-cluster.ts'), mode, mkdtempSync(join(tmpdir(), 'streamproof-orphan-'))], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ pids: number[]; endpoints: string[]; partitioned: boolean; mounts: string[] }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice(6)));
    });
    void exited.then((code) => reject(new Error(`harness exited ${code} before ready: ${stderr.slice(-500)}`)));
  });
  leftovers.push(...ready.pids);
  mountsLeft.push(...ready.mounts);
  // As root, this machine must be able to hold both: a test that skipped them would prove nothing.
  if (process.getuid?.() === 0) expect([ready.partitioned, ready.mounts.length]).toEqual([true, 1]);
  expect(ready.pids.every(isAlive)).toBe(true);
  return { child, ...ready, exited };
}

async function expectNothingLeft(held: Held): Promise<void> {
  expect(await waitUntilGone(held.pids, 20_000)).toEqual([]);
  if (held.partitioned) expect(listPartitionTables().filter((t) => t.ownerPid === held.child.pid)).toEqual([]);
  expect(held.mounts.filter(mountedByUs)).toEqual([]);
  const busy = [];
  for (const endpoint of held.endpoints) {
    const [host, port] = [endpoint.slice(0, endpoint.lastIndexOf(':')), Number(endpoint.slice(endpoint.lastIndexOf(':') + 1))];
    if (!(await isPortFree(port, host))) busy.push(endpoint);
  }
  expect(busy).toEqual([]);
}

describe('no orphans', () => {
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
    expect(held.pids.every(isAlive)).toBe(true);
    if (held.partitioned) expect(listPartitionTables().filter((t) => t.ownerPid === held.child.pid)).toHaveLength(1);
    expect(held.mounts.every(mountedByUs)).toBe(true);
    const down = spawnSync(process.execPath, [cli, 'cluster', 'down', '--all'], { encoding: 'utf8', env });
    expect(down.status).toBe(0);
    expect(down.stdout).toMatch(/stopped [1-9]\d* process/);
    if (held.partitioned) expect(down.stdout).toMatch(/removed [1-9]\d* nftables table/);
    if (held.mounts.length > 0) expect(down.stdout).toMatch(/unmounted 1 broker disk\(s\)/);
    await expectNothingLeft(held);
  });
});
