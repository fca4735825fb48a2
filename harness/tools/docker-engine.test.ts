import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { ensureDockerEngine, ping, unmountStaleEngineMounts } from './docker-engine.ts';

const saved = process.env.DOCKER_HOST;
afterEach(() => {
  if (saved === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = saved;
});

describe('ensureDockerEngine', () => {
  it('uses only an explicit DOCKER_HOST: one that does not answer fails with one line naming it (exit 3), and nothing is started', async () => {
    process.env.DOCKER_HOST = 'unix:///nonexistent/streamproof-test.sock';
    const error = await ensureDockerEngine({ start: true, install: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    const harnessError = error as HarnessError;
    expect(harnessError.code).toBe('PROVIDER_UNAVAILABLE');
    expect(harnessError.exitCode).toBe(3);
    expect(harnessError.toLine()).toBe('streamproof: PROVIDER_UNAVAILABLE: no usable Docker engine for --provider docker; tried DOCKER_HOST=unix:///nonexistent/streamproof-test.sock: no answer');
  });

  it('pings a tcp host that refuses as not answering', async () => {
    expect(await ping('tcp://127.0.0.1:1', 1000)).toBe(false);
  });
});

const mountPoints = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((line) => line.split(' ')[4]);

// Real bind mounts, as dockerd makes of its data root: root only.
describe.skipIf(process.getuid?.() !== 0)('unmountStaleEngineMounts (needs root: real bind mounts)', () => {
  const engineDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamproof-engine-'));
    for (const sub of ['data', 'exec/netns/default']) {
      mkdirSync(join(dir, sub), { recursive: true });
      expect(spawnSync('mount', ['--bind', join(dir, sub), join(dir, sub)]).status).toBe(0);
    }
    return dir;
  };
  const cleanUp = (dir: string) => {
    for (const sub of ['exec/netns/default', 'data']) spawnSync('umount', [join(dir, sub)]);
    rmSync(dir, { recursive: true, force: true });
  };

  it('unmounts, deepest first, what a dockerd whose pid is gone left under its dir', () => {
    const dir = engineDir();
    try {
      writeFileSync(join(dir, 'dockerd.pid'), '2147483646\n');
      expect(mountPoints()).toContain(join(dir, 'data'));
      expect(unmountStaleEngineMounts(dir)).toEqual([join(dir, 'exec/netns/default'), join(dir, 'data')]);
      expect(mountPoints().filter((p) => p?.startsWith(dir))).toEqual([]);
    } finally {
      cleanUp(dir);
    }
  });

  it('touches nothing while our dockerd (its pid, started with the dir) runs', async () => {
    const dir = engineDir();
    const daemon = spawn('sh', ['-c', 'sleep 30', dir], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'dockerd.pid'), `${daemon.pid}\n`);
      expect(unmountStaleEngineMounts(dir)).toEqual([]);
      expect(mountPoints()).toContain(join(dir, 'data'));
    } finally {
      daemon.kill('SIGKILL');
      cleanUp(dir);
    }
  });
});
