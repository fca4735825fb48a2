import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { getContainerRuntimeClient, ImageName } from 'testcontainers';
import { HarnessError } from '../errors.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { ensureDockerEngine, type DockerEngine } from '../tools/docker-engine.ts';
import { DEFAULT_KAFKA_VERSION, validateKafkaVersion } from '../tools/kafka-jars.ts';
import { activeControllerOf, electionsFromLogs, type ControllerElection } from './controller-elections.ts';
import { clusterLayout, portsNeeded, toxiproxyLinkSpecs, type ClusterLayout, type LinkSpec } from './cluster-layout.ts';
import { DockerBroker } from './docker-broker.ts';
import { chooseImages, chooseRegistryImage, type DockerImages, type ImageChoice } from './docker-images.ts';
import { DETACHED_SUFFIX, forget, sweepDockerOrphans } from './docker-sweep.ts';
import { DockerToxiproxy } from './docker-toxiproxy.ts';
import { DockerRegistry } from './docker-registry.ts';
import { newClusterId, type LocalClusterOptions } from './local-provider.ts';
import { allocatePortBlock } from './ports.ts';
import { waitUntilUsable } from './readiness.ts';
import type { BrokerInfo, BrokerProcessControl, StartedCluster } from './started-cluster.ts';
import type { ToxiproxyLinks } from './toxiproxy-links.ts';

/** The local provider's options (runDir keeps cluster.json and the containers' logs), plus images and heap. */
export interface DockerClusterOptions extends Omit<LocalClusterOptions, 'keepData'> {
  /** Kafka image; else STREAMPROOF_KAFKA_IMAGE, else apache/kafka:<version> (docker-images.ts). */
  kafkaImage?: string;
  /** Toxiproxy image; else STREAMPROOF_TOXIPROXY_IMAGE, else ghcr.io/shopify/toxiproxy:2.12.0. */
  toxiproxyImage?: string;
  heapMb?: number;
}

/**
 * Brokers and Toxiproxy as containers on the host's network, with the local provider's
 * listener layout: everything listens on 127.0.0.1, brokers advertise the Toxiproxy links,
 * and no bridge network is involved. Process faults are container operations.
 */
export async function startDockerCluster(options: DockerClusterOptions = {}): Promise<DockerCluster> {
  const brokers = options.brokers ?? 3;
  const progress = options.onProgress ?? (() => undefined);
  const kafkaVersion = validateKafkaVersion(options.kafkaVersion ?? DEFAULT_KAFKA_VERSION);
  const runDir = options.runDir ?? join(process.cwd(), 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-cluster`);
  await mkdir(runDir, { recursive: true });

  const engine = await ensureDockerEngine({ onProgress: progress });
  const docker = await dockerClient(engine);
  const swept = await sweepDockerOrphans(docker);
  if (swept.length > 0) progress(`[cluster] removed ${swept.length} container(s) left by a dead harness: ${swept.join(', ')}`);
  const images = await chooseImages(docker, kafkaVersion, options);
  await Promise.all([ensureImage(images.kafka, 'STREAMPROOF_KAFKA_IMAGE', progress), ensureImage(images.toxiproxy, 'STREAMPROOF_TOXIPROXY_IMAGE', progress)]);
  progress(`[cluster] engine ${engine.host} (${engine.source}); images ${images.kafka.image} (${images.kafka.reason}), ${images.toxiproxy.image} (${images.toxiproxy.reason})`);

  const base = await allocatePortBlock(portsNeeded(brokers), options.basePort);
  const layout = clusterLayout(brokers, base);
  const clusterName = `${process.pid}-${base}`;
  let toxiproxy: DockerToxiproxy | undefined;
  const nodes: DockerBroker[] = [];
  try {
    toxiproxy = await DockerToxiproxy.start(docker, images.toxiproxy.image, clusterName, layout.toxiproxyPort);
    await toxiproxy.links.create(toxiproxyLinkSpecs(layout));
    progress(`[cluster] toxiproxy container up on ${toxiproxy.links.url} with ${layout.links.length} links`);

    const clusterId = newClusterId();
    const started = await Promise.allSettled(
      layout.nodes.map((node) => DockerBroker.start(docker, { image: images.kafka.image, clusterName, clusterId, layout, node, brokerProperties: options.brokerProperties, heapMb: options.heapMb })),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    progress(`[cluster] ${brokers} broker container(s) started (cluster id ${clusterId})`);

    const cluster = new DockerCluster(kafkaVersion, runDir, layout, nodes, toxiproxy, images, docker, clusterName);
    if (!options.skipReadiness) {
      await waitUntilUsable(createKafka(cluster.clientSettings('streamproof-readiness')), {
        expectedBrokers: brokers,
        onStep: (step) => progress(`[cluster] ready: ${step}`),
      });
    }
    await writeFile(join(runDir, 'cluster.json'), JSON.stringify(await cluster.describe(), null, 2));
    return cluster;
  } catch (error) {
    // The containers' logs are the only trace of why a start failed: keep them.
    await saveLogs(runDir, nodes, toxiproxy);
    await Promise.allSettled([...nodes.map((n) => n.remove()), toxiproxy?.remove()]);
    throw error;
  }
}

async function saveLogs(runDir: string, nodes: DockerBroker[], toxiproxy: DockerToxiproxy | undefined): Promise<void> {
  await Promise.allSettled([
    ...nodes.map(async (n) => writeFile(join(runDir, `kafka-${n.id}.log`), await n.logs())),
    toxiproxy && (async () => writeFile(join(runDir, 'toxiproxy.log'), await toxiproxy.logs()))(),
  ]);
}

export class DockerCluster implements StartedCluster {
  readonly provider = 'docker' as const;
  private stopped = false;

  constructor(
    readonly kafkaVersion: string,
    readonly runDir: string,
    readonly layout: ClusterLayout,
    readonly nodes: DockerBroker[],
    readonly toxiproxyContainer: DockerToxiproxy,
    readonly images: DockerImages,
    private readonly docker: Dockerode,
    /** Labels every container of this cluster (the sweep finds them by it). */
    readonly clusterName: string,
  ) {}

  /** The lab's schema registry as a container of this cluster on `port` (harness/registry/lab-registry.ts). */
  async startRegistry(version: string, port: number, dir: string, progress: (line: string) => void = () => undefined): Promise<DockerRegistry> {
    const image = await chooseRegistryImage(this.docker, version);
    await ensureImage(image, 'STREAMPROOF_REGISTRY_IMAGE', progress);
    progress(`[cluster] schema registry image ${image.image} (${image.reason})`);
    return DockerRegistry.start(this.docker, image.image, this.clusterName, port, dir);
  }

  bootstrapServers(): string[] {
    return this.layout.nodes.map((n) => `${n.address}:${n.clientProxyPort}`);
  }

  brokers(): BrokerInfo[] {
    return this.nodes.map((n) => ({ id: n.id, host: n.node.address, port: n.node.clientProxyPort, realPort: n.node.clientPort, pid: n.pid }));
  }

  clientSettings(clientId = 'streamproof') {
    return { brokers: this.bootstrapServers(), clientId };
  }

  links(): LinkSpec[] {
    return this.layout.links;
  }

  toxiproxy(): ToxiproxyLinks {
    return this.toxiproxyContainer.links;
  }

  brokerProcess(brokerId: number): BrokerProcessControl | undefined {
    return this.nodes.find((n) => n.id === brokerId)?.control();
  }

  /** The host pid of the Toxiproxy server (containers share the host's pid view as root). */
  async toxiproxyPid(): Promise<number | undefined> {
    return (await this.toxiproxyContainer.container.inspect()).State.Pid || undefined;
  }

  /** KRaft elections from the containers' logs (harness/cluster/controller-elections.ts). */
  async controllerElections(): Promise<ControllerElection[]> {
    return electionsFromLogs(await Promise.all(this.nodes.map((node) => node.logs().catch(() => ''))));
  }

  async activeControllerId(): Promise<number | undefined> {
    return activeControllerOf(await this.controllerElections());
  }

  /** Connection details, as written to cluster.json. */
  async describe() {
    return {
      provider: this.provider,
      kafkaVersion: this.kafkaVersion,
      bootstrapServers: this.bootstrapServers().join(','),
      toxiproxyUrl: this.toxiproxyContainer.links.url,
      toxiproxyContainer: this.toxiproxyContainer.name,
      images: { kafka: this.images.kafka.image, toxiproxy: this.images.toxiproxy.image },
      runDir: this.runDir,
      brokers: this.nodes.map((n) => ({
        id: n.id,
        container: n.name,
        pid: n.pid,
        clientPort: n.node.clientPort,
        internalPort: n.node.internalPort,
        controllerPort: n.node.controllerPort,
        clientProxyPort: n.node.clientProxyPort,
        internalProxyPort: n.node.internalProxyPort,
        controllerProxyPort: n.node.controllerProxyPort,
      })),
      links: this.layout.links.map((l) => ({ name: l.name, listen: l.listenPort, upstream: l.upstreamPort })),
    };
  }

  /**
   * Lets the containers outlive this process (`cluster up`): no exit hook removes them, and
   * the `-detached` name keeps the orphan sweep off them; sweepDockerOrphans({ detached: true }) removes them.
   */
  async detach(): Promise<void> {
    for (const { container, name } of [...this.nodes, this.toxiproxyContainer]) {
      forget(container.id);
      await container.rename({ name: `${name}${DETACHED_SUFFIX}` });
    }
  }

  /** Saves each container's log into the run folder, then removes the containers (the data is throwaway). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await saveLogs(this.runDir, this.nodes, this.toxiproxyContainer);
    await Promise.allSettled([...this.nodes.map((n) => n.remove()), this.toxiproxyContainer.remove()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

async function dockerClient(engine: DockerEngine): Promise<Dockerode> {
  try {
    return (await getContainerRuntimeClient()).container.dockerode;
  } catch (error) {
    throw new HarnessError('PROVIDER_UNAVAILABLE', `testcontainers could not use the Docker engine at ${engine.host}: ${(error as Error).message}`, { cause: error });
  }
}

/** A missing image is pulled (real users); offline, that fails with what to do instead. */
async function ensureImage(choice: ImageChoice, envName: string, progress: (line: string) => void): Promise<void> {
  if (choice.present) return;
  progress(`[cluster] pulling ${choice.image}`);
  try {
    const client = await getContainerRuntimeClient();
    await withTimeout(client.image.pull(ImageName.fromString(choice.image)), 10 * 60_000);
  } catch (error) {
    throw new HarnessError(
      'PROVIDER_UNAVAILABLE',
      `image ${choice.image} is not in the Docker engine and could not be pulled (${(error as Error).message.split('\n')[0]}); without a registry, run 'npm run images:build' or set ${envName}`,
      { cause: error },
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
