import { afterEach, describe, expect, it } from 'vitest';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { checkFaultsAvailable, faultType } from './fault-registry.ts';

const saved = process.env.STREAMPROOF_LIBFAKETIME;
afterEach(() => {
  if (saved === undefined) delete process.env.STREAMPROOF_LIBFAKETIME;
  else process.env.STREAMPROOF_LIBFAKETIME = saved;
});

describe('clock faults in the registry', () => {
  it('are registered with their summaries', () => {
    for (const name of ['clock.offset', 'clock.drift', 'clock.jump']) expect(faultType(name).summary).toMatch(/wall clock/);
  });

  it('stop a run before it starts when libfaketime cannot be had, saying why (exit 3)', async () => {
    process.env.STREAMPROOF_LIBFAKETIME = '/nowhere/libfaketime.so.1';
    // The reason does not depend on the cluster: libfaketime is a property of this machine (this
    // one has a Toxiproxy, so net.latency, checked first, is available).
    const withToxiproxy = { toxiproxy: () => ({}) } as unknown as StartedCluster;
    const error = await checkFaultsAvailable(withToxiproxy, ['net.latency', 'clock.jump'], 'scenarios/x.ts').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FAULT_UNSUPPORTED', exitCode: 3 });
    expect((error as Error).message).toBe('scenarios/x.ts: clock.jump is unavailable here: STREAMPROOF_LIBFAKETIME=/nowhere/libfaketime.so.1 does not exist');
  });
});
