import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { Random } from '../random.ts';
import { startTestCluster, tempRunDir } from '../testing/lab.ts';
import { startLabRegistry, type LabRegistry } from './lab-registry.ts';
import { RegistryClient } from './registry-client.ts';

// The lab's registry behind its Toxiproxy link: what a SUT reaches is faulted, what the harness
// reaches is not.
describe('the lab schema registry and its faults', () => {
  let cluster: LocalCluster;
  let registry: LabRegistry;

  beforeAll(async () => {
    cluster = await startTestCluster('lab-registry', { brokers: 1 });
    registry = await startLabRegistry(cluster, tempRunDir('lab-registry-log'));
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    await cluster?.stop();
  });

  const versions = (url: string) => new RegistryClient(url).subjectVersions('orders-value', { timeoutMs: 2000 });

  it('gives SUTs the ccompat URL through the link and the harness the registry itself', async () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
    expect(registry.link).toBe('registry');
    await new RegistryClient(registry.directUrl).register('orders-value', '{"type":"record","name":"o","fields":[{"name":"id","type":"string"}]}', 'AVRO');
    expect(await versions(registry.url)).toEqual([1]);
  });

  it('registry.cut refuses the link until healed; the direct URL keeps working', async () => {
    const injector = new FaultInjector(cluster, new Random(1));
    const fault = await injector.start('registry.cut');
    await expect(versions(registry.url)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    expect(await versions(registry.directUrl)).toEqual([1]);
    await injector.heal(fault);
    expect(await versions(registry.url)).toEqual([1]);
  });

  it('registry.latency slows the link both ways', async () => {
    const injector = new FaultInjector(cluster, new Random(1));
    const fault = await injector.start('registry.latency', { latency: 400 });
    const started = performance.now();
    await versions(registry.url);
    const slowed = performance.now() - started;
    await injector.heal(fault);
    expect(slowed).toBeGreaterThanOrEqual(700);
  });
});
