import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { dockerdPath, ensureDockerEngine, isOwnDockerEngineRunning, ownEngineDir, stopOwnDockerEngine, unmountStaleEngineMounts } from '../tools/docker-engine.ts';
import { isAlive } from '../tools/install-lock.ts';
import { guardOwnDockerd } from './own-dockerd-teardown.ts';

const dockerd = dockerdPath() !== undefined;
const mountsUnder = (dir: string) => readFileSync('/proc/mounts', 'utf8').split('\n').filter((line) => line.split(' ')[1]?.startsWith(dir));

// ensureDockerEngine points this process's clients at the engine it found (DOCKER_HOST): undone after each case.
const saved = { ...process.env };
afterEach(() => {
  for (const name of ['DOCKER_HOST', 'TESTCONTAINERS_RYUK_DISABLED', 'TESTCONTAINERS_HOST_OVERRIDE']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('the integration run stops the dockerd it started', () => {
  // Our dockerd is the one used only when no other engine answers first; one running before
  // this test run (a user's) is never stopped here.
  const why = !dockerd ? 'dockerd is not installed'
    : process.env.DOCKER_HOST || existsSync('/var/run/docker.sock') ? 'another engine would be used'
    : inject('ownDockerdRunningBefore') ? 'our dockerd was running before this test run' : undefined;

  it.skipIf(why !== undefined)(`stops one started after it looked, and its mounts go${why ? ` (skipped: ${why})` : ''}`, async () => {
    await stopOwnDockerEngine(); // one an earlier file of this run started
    const guard = guardOwnDockerd();
    expect(guard.runningBefore).toBe(false);
    const engine = await ensureDockerEngine({ install: false, onProgress: () => undefined });
    expect(engine.source).toBe('streamproof dockerd');
    expect(mountsUnder(ownEngineDir()).length).toBeGreaterThan(0);
    expect(await guard.teardown()).toBe(true);
    expect(isOwnDockerEngineRunning()).toBe(false);
    expect(mountsUnder(ownEngineDir())).toEqual([]);
  }, 120_000);

  it.skipIf(why !== undefined)(`leaves alone one that was running when it looked${why ? ` (skipped: ${why})` : ''}`, async () => {
    await ensureDockerEngine({ install: false, onProgress: () => undefined });
    const guard = guardOwnDockerd();
    expect(guard.runningBefore).toBe(true);
    expect(await guard.teardown()).toBe(false);
    expect(isOwnDockerEngineRunning()).toBe(true);
    await stopOwnDockerEngine();
  }, 120_000);

  it.skipIf(why !== undefined)(`unmounts what a killed one left, and the next start works${why ? ` (skipped: ${why})` : ''}`, async () => {
    const engine = await ensureDockerEngine({ install: false, onProgress: () => undefined });
    const containerd = Number(readFileSync(join(ownEngineDir(), 'exec/containerd/containerd.pid'), 'utf8'));
    process.kill(engine.pid!, 'SIGKILL');
    // Its containerd follows it down (and holds its state's lock until then).
    for (const pid of [engine.pid!, containerd]) while (isAlive(pid)) await new Promise((r) => setTimeout(r, 100));
    expect(mountsUnder(ownEngineDir()).length).toBeGreaterThan(0); // SIGKILL leaves them: the case to mend
    expect(unmountStaleEngineMounts().length).toBeGreaterThan(0);
    expect(mountsUnder(ownEngineDir())).toEqual([]);
    delete process.env.DOCKER_HOST; // set by the first start: it would name the dead one as the only engine
    const again = await ensureDockerEngine({ install: false, onProgress: () => undefined });
    expect(again.source).toBe('streamproof dockerd');
    expect(await stopOwnDockerEngine()).toBe(true);
    expect(mountsUnder(ownEngineDir())).toEqual([]);
  }, 120_000);
});

