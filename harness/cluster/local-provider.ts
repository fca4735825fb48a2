import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKafka } from '../kafka/kafka-client.ts';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from '../tools/kafka-jars.ts';
import { ensureToxiproxy } from '../tools/toxiproxy-binary.ts';
import { sourceAddressLayer, sourceAddressShim } from '../tools/source-address-shim.ts';
import { clusterLayout, portsNeeded, toxiproxyLinkSpecs, type ClusterLayout, type LinkSpec } from './cluster-layout.ts';
import { KafkaNode } from './kafka-node.ts';
import { newKafkaUuid } from './kafka-uuid.ts';
import { readFrom } from './log-watch.ts';
import { activeControllerOf, electionsFromLogs, type ControllerElection } from './controller-elections.ts';
import type { ManagedProcess } from './managed-process.ts';
import { allocatePortBlock } from './ports.ts';
import { waitUntilUsable } from './readiness.ts';
import type { BrokerDisk, BrokerInfo, BrokerProcessControl, LabAddressing, StartedCluster } from './started-cluster.ts';
import type { ToxiproxyLinks } from './toxiproxy-links.ts';
import { startToxiproxyServer } from './toxiproxy-server.ts';

export interface LocalClusterOptions {
  brokers?: number;
  kafkaVersion?: string;
  /** First port of the block this cluster uses; a free block is picked when omitted. */
  basePort?: number;
  /** Logs and data go here; default `runs/<timestamp>-cluster`. */
  runDir?: string;
  brokerProperties?: Record<string, string | number | boolean>;
  /** Skip the produce/consume/transaction readiness check (the bare-floor benchmark). */
  skipReadiness?: boolean;
  /**
   * Each broker's log dir on a size-limited filesystem of its own (a tmpfs of this many MB,
   * harness/cluster/limited-disk.ts), for `disk.full`; needs root. Unset: the run dir's disk.
   */
  diskMb?: number;
  /** Keep the data dirs on stop (logs are always kept). */
  keepData?: boolean;
  onProgress?: (line: string) => void;
}

/** Brokers as JVM processes, each on its own loopback address, every path behind a Toxiproxy link. */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const brokers = options.brokers ?? 3;
  const progress = options.onProgress ?? (() => undefined);
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const runDir = options.runDir ?? join(process.cwd(), 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-cluster`);
  await mkdir(runDir, { recursive: true });

  const [jars, toxiproxyBinary, shim] = await Promise.all([ensureKafkaJars(kafkaVersion, progress), ensureToxiproxy(progress), sourceAddressShim(progress)]);
  const base = await allocatePortBlock(portsNeeded(brokers), options.basePort);
  const layout = clusterLayout(brokers, base, 'per-node');
  const addressing: LabAddressing = { addresses: layout.addresses!, sourceLayer: 'path' in shim ? (address) => sourceAddressLayer(shim.path, address) : shim };
  const nodes = layout.nodes.map((node) => new KafkaNode(node, jars, runDir, options.diskMb));
  if (typeof addressing.sourceLayer === 'function') for (const node of nodes) node.process.layers.set('source-address', addressing.sourceLayer(node.layout.address));
  else progress(`[cluster] nodes share 127.0.0.1 as their source address (net.partition unavailable): ${addressing.sourceLayer.reason}`);
  let toxiproxyProcess: ManagedProcess | undefined;
  try {
    const clusterId = newKafkaUuid();
    await Promise.all(nodes.map((node) => node.prepare(layout, clusterId, options.brokerProperties)));
    // The JVMs go first: they need seconds before they dial anyone, Toxiproxy and its links
    // are up in a fraction of that (and a refused connect is simply retried).
    const started = Promise.all(nodes.map((node) => node.start()));
    started.catch(() => undefined); // awaited below; a failure here must not wait for it
    const toxiproxy = await startToxiproxyServer(toxiproxyBinary, layout.toxiproxyPort, runDir);
    toxiproxyProcess = toxiproxy.process;
    await toxiproxy.links.create(toxiproxyLinkSpecs(layout));
    progress(`[cluster] toxiproxy up on ${toxiproxy.links.url} with ${layout.links.length} links`);
    await started;
    progress(`[cluster] ${brokers} node(s) started (cluster id ${clusterId})`);

    const cluster = new LocalCluster(kafkaVersion, runDir, layout, addressing, nodes, toxiproxy.process, toxiproxy.links, options.keepData ?? false);
    if (!options.skipReadiness) {
      await waitUntilUsable(createKafka({ ...cluster.clientSettings('streamproof-readiness') }), {
        expectedBrokers: brokers,
        onStep: (step) => progress(`[cluster] ready: ${step}`),
      });
    }
    await writeFile(join(runDir, 'cluster.json'), JSON.stringify(cluster.describe(), null, 2));
    return cluster;
  } catch (error) {
    await Promise.allSettled([...nodes.map((n) => n.process.kill()), toxiproxyProcess?.kill()]);
    await Promise.allSettled(nodes.map((n) => n.disk?.unmount()));
    throw error;
  }
}

/** A KRaft cluster id (kept under this name for the docker provider). */
export const newClusterId = newKafkaUuid;

export class LocalCluster implements StartedCluster {
  readonly provider = 'local' as const;
  private stopped = false;

  constructor(
    readonly kafkaVersion: string,
    readonly runDir: string,
    readonly layout: ClusterLayout,
    private readonly labAddressing: LabAddressing,
    readonly nodes: KafkaNode[],
    readonly toxiproxyProcess: ManagedProcess,
    private readonly toxiproxyLinks: ToxiproxyLinks,
    private readonly keepData: boolean,
  ) {}

  bootstrapServers(): string[] {
    return this.layout.nodes.map((n) => `${n.address}:${n.clientProxyPort}`);
  }

  brokers(): BrokerInfo[] {
    return this.nodes.map((n) => ({ id: n.id, host: n.layout.address, port: n.layout.clientProxyPort, realPort: n.layout.clientPort, pid: n.process.pid }));
  }

  clientSettings(clientId = 'streamproof') {
    return { brokers: this.bootstrapServers(), clientId, localAddress: this.labAddressing.addresses.harness };
  }

  addressing(): LabAddressing {
    return this.labAddressing;
  }

  links(): LinkSpec[] {
    return this.layout.links;
  }

  toxiproxy(): ToxiproxyLinks {
    return this.toxiproxyLinks;
  }

  brokerProcess(brokerId: number): BrokerProcessControl | undefined {
    const node = this.nodes.find((n) => n.id === brokerId);
    if (!node) return undefined;
    return {
      brokerId,
      get pid() {
        return node.process.pid;
      },
      get running() {
        return node.process.isRunning;
      },
      kill: () => node.process.kill(),
      stop: () => node.process.stop(),
      pause: () => node.process.pause(),
      resume: () => node.process.resume(),
      start: () => node.start(),
      restart: () => node.restart(),
      layers: node.process.layers,
    };
  }

  /** KRaft elections from the nodes' own logs (harness/cluster/controller-elections.ts). */
  async controllerElections(): Promise<ControllerElection[]> {
    return electionsFromLogs(await Promise.all(this.nodes.map((node) => readFrom(node.logFile, 0))));
  }

  brokerDisk(brokerId: number): BrokerDisk | undefined {
    const node = this.nodes.find((n) => n.id === brokerId);
    const disk = node?.disk;
    if (!node || !disk?.isMounted) return undefined;
    return { path: disk.path, sizeBytes: disk.sizeBytes, freeBytes: () => disk.freeBytes(), serverLog: node.logFile };
  }

  /**
   * The KRaft leader, read from the nodes' own logs: the newest "In the new epoch E, the
   * leader is X" line across all nodes wins (a paused or cut-off node may lag behind).
   */
  async activeControllerId(): Promise<number | undefined> {
    return activeControllerOf(await this.controllerElections());
  }

  /** Connection details, as printed by `cluster up` and written to cluster.json. */
  describe() {
    return {
      provider: this.provider,
      kafkaVersion: this.kafkaVersion,
      bootstrapServers: this.bootstrapServers().join(','),
      toxiproxyUrl: this.toxiproxyLinks.url,
      toxiproxyPid: this.toxiproxyProcess.pid,
      runDir: this.runDir,
      brokers: this.nodes.map((n) => ({
        id: n.id,
        address: n.layout.address,
        pid: n.process.pid,
        clientPort: n.layout.clientPort,
        internalPort: n.layout.internalPort,
        controllerPort: n.layout.controllerPort,
        clientProxyPort: n.layout.clientProxyPort,
        internalProxyPort: n.layout.internalProxyPort,
        controllerProxyPort: n.layout.controllerProxyPort,
        ...(n.disk ? { disk: { path: n.disk.path, sizeBytes: n.disk.sizeBytes } } : {}),
      })),
      links: this.layout.links.map((l) => ({ name: l.name, listen: l.listenPort, upstream: l.upstreamPort })),
    };
  }

  /** Lets the processes outlive this harness process (`cluster up` runs in the background). */
  detach(): void {
    for (const process of [...this.nodes.map((n) => n.process), this.toxiproxyProcess]) process.detachFromHarness();
    for (const node of this.nodes) node.disk?.keepAfterExit();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // The data is throwaway: SIGKILL is the fastest clean-up and leaves no half-stopped JVM.
    await Promise.allSettled([...this.nodes.map((n) => n.process.kill()), this.toxiproxyProcess.kill()]);
    if (!this.keepData) await Promise.allSettled(this.nodes.map((n) => rm(n.dataDir, { recursive: true, force: true })));
    // A limited disk goes with the lab (its data is in memory, so keepData cannot keep it).
    await Promise.allSettled(this.nodes.map((n) => n.disk?.unmount()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
