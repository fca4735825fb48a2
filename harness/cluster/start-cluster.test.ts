import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { parseStartingProvider, startCluster } from './start-cluster.ts';

describe('startCluster', () => {
  it('parses --provider: local by default, docker, and a usage error naming the choices', () => {
    expect(parseStartingProvider(undefined)).toBe('local');
    expect(parseStartingProvider('docker')).toBe('docker');
    expect(() => parseStartingProvider('podman')).toThrow(/--provider takes local or docker, got 'podman'/);
  });

  it('rejects an unknown provider in code with a usage error (exit 64)', async () => {
    const error = await startCluster({ provider: 'k8s' as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).exitCode).toBe(64);
  });
});
