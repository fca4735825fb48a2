import type Dockerode from 'dockerode';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GenericContainer } from 'testcontainers';
import { HarnessError } from '../errors.ts';
import { containerLogs } from './docker-logs.ts';
import { forget, ownerLabels, removeOnExit } from './docker-sweep.ts';

/**
 * The lab's schema registry as a container on the host's network (the docker provider's way:
 * everything on 127.0.0.1), configured through Quarkus's environment like the official image.
 * Swept with the cluster's other containers; its log is saved into `dir` when it stops.
 */
export class DockerRegistry {
  private constructor(
    readonly container: Dockerode.Container,
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(docker: Dockerode, image: string, clusterName: string, port: number, dir: string, timeoutMs = 120_000): Promise<DockerRegistry> {
    const started = await new GenericContainer(image)
      .withName(`streamproof-${clusterName}-schema-registry`)
      .withNetworkMode('host')
      .withLabels(ownerLabels(clusterName))
      .withEnvironment({ QUARKUS_HTTP_HOST: '127.0.0.1', QUARKUS_HTTP_PORT: String(port) })
      .start();
    removeOnExit(started.getId());
    const registry = new DockerRegistry(docker.getContainer(started.getId()), port, dir);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ready) return registry;
      if (!(await registry.container.inspect()).State.Running) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const tail = (await containerLogs(registry.container).catch(() => '')).trim().split('\n').slice(-3).join(' | ');
    await registry.stop();
    throw new HarnessError('CLUSTER_START_FAILED', `schema registry (image ${image}) did not become ready on 127.0.0.1:${port}: ${tail || 'no output'}`);
  }

  async stop(): Promise<void> {
    await writeFile(join(this.dir, 'schema-registry.log'), await containerLogs(this.container).catch(() => '')).catch(() => undefined);
    await this.container.remove({ force: true, v: true }).catch(() => undefined);
    forget(this.container.id);
  }
}
