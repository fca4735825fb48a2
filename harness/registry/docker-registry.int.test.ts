import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDockerLab } from '../cluster/docker-lab-probe.ts';
import { chooseRegistryImage } from '../cluster/docker-images.ts';
import { startDockerCluster, type DockerCluster } from '../cluster/docker-provider.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { Random } from '../random.ts';
import { tempRunDir } from '../testing/lab.ts';
import { DEFAULT_REGISTRY_VERSION } from '../tools/apicurio-registry.ts';
import { startLabRegistry, type LabRegistry } from './lab-registry.ts';
import { RegistryClient } from './registry-client.ts';

// The registry of a docker lab: a container on the host's network behind the lab's Toxiproxy
// link, as the local provider's process is. Skipped, with the reason, without an engine or images.
async function probe(): Promise<string | undefined> {
  const lab = await probeDockerLab();
  if (!lab.ready) return lab.reason;
  const { getContainerRuntimeClient } = await import('testcontainers');
  const image = await chooseRegistryImage((await getContainerRuntimeClient()).container.dockerode, DEFAULT_REGISTRY_VERSION);
  return image.present ? undefined : `docker provider: image ${image.image} not in the engine; run 'npm run images:build'`;
}
const skipReason = await probe();
console.warn(skipReason ? `[docker registry] SKIPPED: ${skipReason}` : '[docker registry] engine and images present');

describe.skipIf(skipReason !== undefined)('the schema registry of a docker lab', () => {
  let cluster: DockerCluster;
  let registry: LabRegistry;
  const schema = '{"type":"record","name":"o","fields":[{"name":"id","type":"string"}]}';

  beforeAll(async () => {
    cluster = await startDockerCluster({ brokers: 1, runDir: tempRunDir('docker-registry') });
    registry = await startLabRegistry(cluster, tempRunDir('docker-registry-log'));
  }, 240_000);

  afterAll(async () => {
    await registry?.stop();
    await cluster?.stop();
  });

  it('serves the SUT through the link, and registry.cut cuts only the link', async () => {
    await new RegistryClient(registry.directUrl).register('orders-value', schema, 'AVRO');
    const versions = (url: string) => new RegistryClient(url).subjectVersions('orders-value', { timeoutMs: 2000 });
    expect(await versions(registry.url)).toEqual([1]);
    const injector = new FaultInjector(cluster, new Random(1));
    const cut = await injector.start('registry.cut');
    await expect(versions(registry.url)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    expect(await versions(registry.directUrl)).toEqual([1]);
    await injector.heal(cut);
    expect(await versions(registry.url)).toEqual([1]);
  });
});
