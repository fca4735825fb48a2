import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { ensureDockerEngine, ping } from './docker-engine.ts';

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
