import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { isAlive } from '../tools/install-lock.ts';
import { probeDockerLab } from './docker-lab-probe.ts';
import { sweepDockerOrphans } from './docker-sweep.ts';
import { isPortFree } from './ports.ts';
import { waitUntilGone } from './process-registry.ts';

// Each case starts a real 1-broker docker lab in a child "harness" process, ends that process
// one way or another, and checks that none of its containers, processes or ports is left.
const lab = await probeDockerLab();
const skipReason = lab.ready ? undefined : lab.reason;
if (skipReason) console.warn(`[docker lab] SKIPPED: ${skipReason}`);
const root = join(import.meta.dirname, '..', '..');
const runTs = join(root, 'bin', 'run-ts.js');
let docker: Dockerode;

beforeAll(async () => {
  if (skipReason) return;
  const { getContainerRuntimeClient } = await import('testcontainers');
  docker = (await getContainerRuntimeClient()).container.dockerode;
});

interface Held {
  child: ReturnType<typeof spawn>;
  containers: string[];
  pids: number[];
  ports: number[];
  exited: Promise<number | null>;
}

async function holdLab(mode: 'exit' | 'throw' | 'wait'): Promise<Held> {
  const child = spawn(process.execPath, [runTs, join(import.meta.dirname, 'docker-hold-cluster.ts'), mode, mkdtempSync(join(tmpdir(), 'streamproof-docker-orphan-'))], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ containers: string[]; pids: number[]; ports: number[] }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice(6)));
    });
    void exited.then((code) => reject(new Error(`harness exited ${code} before ready: ${stderr.slice(-500)}`)));
  });
  expect(ready.containers).toHaveLength(2);
  expect(ready.pids.every((pid) => pid > 0 && isAlive(pid))).toBe(true);
  return { child, ...ready, exited };
}

async function containerExists(id: string): Promise<boolean> {
  return docker
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

async function expectNothingLeft(held: Held): Promise<void> {
  const left = [];
  for (const id of held.containers) if (await containerExists(id)) left.push(id);
  expect(left).toEqual([]);
  expect(await waitUntilGone(held.pids, 20_000)).toEqual([]);
  const busy = [];
  for (const port of held.ports) if (!(await isPortFree(port))) busy.push(port);
  expect(busy).toEqual([]);
}

const skipUnlessReady = (context: TestContext) => context.skip(skipReason !== undefined, skipReason);

describe('docker provider: no orphan containers', () => {
  it('after a normal exit', async (context) => {
    skipUnlessReady(context);
    const held = await holdLab('exit');
    expect(await held.exited).toBe(0);
    await expectNothingLeft(held);
  });

  it('after an uncaught error', async (context) => {
    skipUnlessReady(context);
    const held = await holdLab('throw');
    expect(await held.exited).not.toBe(0);
    await expectNothingLeft(held);
  });

  it.for(['SIGINT', 'SIGTERM'] as const)('after %s', async (signal, context) => {
    skipUnlessReady(context);
    const held = await holdLab('wait');
    held.child.kill(signal);
    expect(await held.exited).toBe(signal === 'SIGINT' ? 130 : 143);
    await expectNothingLeft(held);
  });

  it('after kill -9 of the harness, the next sweep removes what it left', async (context) => {
    skipUnlessReady(context);
    const held = await holdLab('wait');
    held.child.kill('SIGKILL');
    await held.exited;
    for (const id of held.containers) expect(await containerExists(id)).toBe(true);
    const removed = await sweepDockerOrphans(docker);
    expect(removed.length).toBeGreaterThanOrEqual(2);
    await expectNothingLeft(held);
  });
});
