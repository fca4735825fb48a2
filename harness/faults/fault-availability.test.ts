import { describe, expect, it } from 'vitest';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { checkFaultsAvailable, faultType, faultUnavailable } from './fault-registry.ts';

// What a cluster without broker processes or a Toxiproxy (an external one, given no --toxiproxy)
// can have: told before a run starts, and to explore's fault mix.
const bare = { provider: 'external', brokers: () => [{ id: 1, host: '127.0.0.1', port: 9092 }], brokerProcess: () => undefined, toxiproxy: () => undefined } as unknown as StartedCluster;

describe('fault availability', () => {
  it('leaves out process faults without process control and link faults without a Toxiproxy, saying why', async () => {
    expect(await faultUnavailable(faultType('broker.pause'), bare)).toBe('it needs broker process control, which the external provider does not offer');
    expect(await faultUnavailable(faultType('net.latency'), bare)).toBe('network faults need a Toxiproxy URL, which this external cluster was not given');
    expect(await faultUnavailable(faultType('net.isolate'), bare)).toMatch(/need a Toxiproxy URL/);
    expect(await faultUnavailable(faultType('registry.cut'), bare)).toBeUndefined();
    const withToxiproxy = { ...bare, toxiproxy: () => ({}) } as unknown as StartedCluster;
    expect(await faultUnavailable(faultType('net.latency'), withToxiproxy)).toBeUndefined();
  });

  it('refuses such a scenario before it runs (one line, exit 3)', async () => {
    const error = await checkFaultsAvailable(bare, ['registry.cut', 'broker.kill'], 'scenarios/x.json').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FAULT_UNSUPPORTED', exitCode: 3 });
    expect((error as Error).message).toBe('scenarios/x.json: broker.kill is unavailable here: it needs broker process control, which the external provider does not offer');
  });
});
