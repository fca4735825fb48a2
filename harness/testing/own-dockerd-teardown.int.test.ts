import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureDockerEngine, isOwnDockerEngineRunning, ownEngineDir } from '../tools/docker-engine.ts';
import setup from './own-dockerd-teardown.ts';

const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd'].some((p) => existsSync(p));
const mountsUnder = (dir: string) => readFileSync('/proc/mounts', 'utf8').split('\n').filter((line) => line.split(' ')[1]?.startsWith(dir));

describe('the integration run stops the dockerd it started', () => {
  // A dockerd running before (from a user's earlier run) must be left alone, so this case
  // needs none running; without dockerd installed there is nothing to start.
  const skip = !dockerd ? 'dockerd is not installed' : process.env.DOCKER_HOST || existsSync('/var/run/docker.sock') ? 'another engine would be used' : isOwnDockerEngineRunning() ? 'our dockerd was already running' : undefined;
  it.skipIf(skip !== undefined)(`teardown stops it and its mounts go${skip ? ` (skipped: ${skip})` : ''}`, async () => {
    const teardown = setup();
    const engine = await ensureDockerEngine({ install: false, onProgress: () => undefined });
    expect(engine.source).toBe('streamproof dockerd');
    expect(isOwnDockerEngineRunning()).toBe(true);
    expect(mountsUnder(ownEngineDir()).length).toBeGreaterThan(0);
    await teardown();
    expect(isOwnDockerEngineRunning()).toBe(false);
    expect(mountsUnder(ownEngineDir())).toEqual([]);
  }, 120_000);

  const ours = !dockerd ? 'dockerd is not installed' : process.env.DOCKER_HOST || existsSync('/var/run/docker.sock') ? 'another engine would be used' : undefined;
  it.skipIf(ours !== undefined)(`leaves alone a dockerd that was running before the run${ours ? ` (skipped: ${ours})` : ''}`, async () => {
    const engine = await ensureDockerEngine({ install: false, onProgress: () => undefined });
    expect(engine.source).toBe('streamproof dockerd');
    const teardown = setup();
    await teardown();
    expect(isOwnDockerEngineRunning()).toBe(true);
  }, 120_000);
});
