import type Dockerode from 'dockerode';
import { GenericContainer, Wait } from 'testcontainers';
import { HarnessError } from '../errors.ts';
import { containerLogs } from './docker-logs.ts';
import { forget, ownerLabels, removeOnExit } from './docker-sweep.ts';
import { ToxiproxyLinks } from './toxiproxy-links.ts';

/**
 * The Toxiproxy server in a container on the host's network, its API and every proxy on
 * 127.0.0.1 (the same ports as the local provider's layout). Both the official image and
 * our local build have /toxiproxy as the entrypoint, so only the arguments are ours.
 */
export class DockerToxiproxy {
  private constructor(
    readonly container: Dockerode.Container,
    readonly name: string,
    readonly links: ToxiproxyLinks,
  ) {}

  static async start(docker: Dockerode, image: string, clusterName: string, port: number, timeoutMs = 60_000): Promise<DockerToxiproxy> {
    const name = `streamproof-${clusterName}-toxiproxy`;
    const started = await new GenericContainer(image)
      .withName(name)
      .withNetworkMode('host')
      .withLabels(ownerLabels(clusterName))
      // Toxiproxy logs every connection at trace level by default; that grows without bound under load.
      .withEnvironment({ LOG_LEVEL: 'info' })
      .withCommand(['-host=127.0.0.1', `-port=${port}`])
      .withWaitStrategy(Wait.forListeningPorts())
      .start();
    removeOnExit(started.getId());
    const container = docker.getContainer(started.getId());
    const links = new ToxiproxyLinks(`http://127.0.0.1:${port}`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        await links.version();
        return new DockerToxiproxy(container, name, links);
      } catch {
        if (!(await container.inspect()).State.Running) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const tail = (await containerLogs(container).catch(() => '')).trim().split('\n').slice(-2).join(' | ');
    await container.remove({ force: true }).catch(() => undefined);
    forget(container.id);
    throw new HarnessError('CLUSTER_START_FAILED', `toxiproxy (container ${name}, image ${image}) did not answer on 127.0.0.1:${port}: ${tail || 'no output'}`);
  }

  logs(): Promise<string> {
    return containerLogs(this.container);
  }

  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch(() => undefined);
    forget(this.container.id);
  }
}
