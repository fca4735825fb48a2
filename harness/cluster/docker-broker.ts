import type Dockerode from 'dockerode';
import { GenericContainer, Wait } from 'testcontainers';
import { HarnessError } from '../errors.ts';
import type { ClusterLayout, NodeLayout } from './cluster-layout.ts';
import { containerLogs } from './docker-logs.ts';
import { forget, ownerLabels, removeOnExit } from './docker-sweep.ts';
import { kafkaNodeProperties } from './kafka-config.ts';
import type { BrokerProcessControl } from './started-cluster.ts';

const STARTED = /Kafka Server started/;
/** Inside the container; /tmp is writable by the official image's non-root user too. */
const DATA_DIR = '/tmp/kraft-data';

/**
 * The container's command: write server.properties from the environment, format the log
 * dir once (`--ignore-formatted` keeps the data when the container is started again after
 * a kill or stop) and exec the broker as the container's main process. It needs only what
 * the official image and our local build share: /opt/kafka/bin's scripts and a shell.
 */
const START_SCRIPT = [
  'set -e',
  'printf "%s\\n" "$STREAMPROOF_SERVER_PROPERTIES" > /tmp/server.properties',
  // Its INFO output is a full config dump: kept out of the broker's log unless it fails.
  'KAFKA_HEAP_OPTS=-Xmx256m /opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t "$STREAMPROOF_CLUSTER_ID" -c /tmp/server.properties > /tmp/format.log 2>&1 || { cat /tmp/format.log; exit 1; }',
  'exec /opt/kafka/bin/kafka-server-start.sh /tmp/server.properties',
].join('\n');

export interface DockerBrokerSpec {
  image: string;
  clusterName: string;
  clusterId: string;
  layout: ClusterLayout;
  node: NodeLayout;
  brokerProperties?: Record<string, string | number | boolean>;
  heapMb?: number;
}

/** One KRaft node (broker + controller) in a container on the host's network. */
export class DockerBroker {
  private state: 'running' | 'paused' | 'stopped' = 'running';
  private hostPid: number | undefined;

  private constructor(
    readonly node: NodeLayout,
    readonly container: Dockerode.Container,
    readonly name: string,
  ) {}

  static async start(docker: Dockerode, spec: DockerBrokerSpec, timeoutMs = 180_000): Promise<DockerBroker> {
    const heap = spec.heapMb ?? 512;
    const name = `streamproof-${spec.clusterName}-kafka-${spec.node.id}`;
    const started = await new GenericContainer(spec.image)
      .withName(name)
      .withNetworkMode('host')
      .withLabels(ownerLabels(spec.clusterName))
      .withEnvironment({
        STREAMPROOF_SERVER_PROPERTIES: kafkaNodeProperties({ layout: spec.layout, node: spec.node, logDir: DATA_DIR, overrides: spec.brokerProperties }),
        STREAMPROOF_CLUSTER_ID: spec.clusterId,
        KAFKA_HEAP_OPTS: `-Xms${Math.min(256, heap)}m -Xmx${heap}m`,
        // As the local provider (kafka-config.ts): start-up on 2 shared cores is CPU-bound.
        KAFKA_JVM_PERFORMANCE_OPTS: '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k -Djava.awt.headless=true',
      })
      .withEntrypoint(['/bin/sh', '-c'])
      .withCommand([START_SCRIPT])
      // Readiness is ours (below), so that a start after a kill waits the same way.
      .withWaitStrategy(Wait.forListeningPorts())
      .start();
    removeOnExit(started.getId());
    const broker = new DockerBroker(spec.node, docker.getContainer(started.getId()), name);
    try {
      await broker.waitUntilStarted(0, timeoutMs);
    } catch (error) {
      await broker.remove();
      throw error;
    }
    return broker;
  }

  get id(): number {
    return this.node.id;
  }

  get pid(): number | undefined {
    return this.state === 'stopped' ? undefined : this.hostPid;
  }

  get running(): boolean {
    return this.state !== 'stopped';
  }

  control(): BrokerProcessControl {
    const broker = this;
    return {
      brokerId: this.id,
      get pid() {
        return broker.pid;
      },
      get running() {
        return broker.running;
      },
      kill: () => this.kill(),
      stop: () => this.stop(),
      pause: () => this.pause(),
      resume: () => this.resume(),
      start: () => this.startAgain(),
      restart: () => this.restart(),
    };
  }

  /** `docker kill` (SIGKILL); a paused container is thawed first, as SIGCONT before SIGKILL locally. */
  async kill(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.state === 'paused') await this.container.unpause();
    await this.container.kill({ signal: 'SIGKILL' });
    await this.container.wait();
    this.state = 'stopped';
  }

  /** `docker stop`: SIGTERM, so the broker shuts down under control, then SIGKILL after 60 s. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.state === 'paused') await this.container.unpause();
    await this.container.stop({ t: 60 });
    this.state = 'stopped';
  }

  /** `docker pause`: the cgroup freezer, a gray failure like SIGSTOP (sockets stay open). */
  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    await this.container.pause();
    this.state = 'paused';
  }

  async resume(): Promise<void> {
    if (this.state !== 'paused') return;
    await this.container.unpause();
    this.state = 'running';
  }

  /** `docker start` of the same container: same file system, so the same data. */
  async startAgain(timeoutMs = 180_000): Promise<void> {
    if (this.state !== 'stopped') return;
    const since = Math.floor(Date.now() / 1000);
    await this.container.start();
    this.state = 'running';
    await this.waitUntilStarted(since, timeoutMs);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.startAgain();
  }

  logs(): Promise<string> {
    return containerLogs(this.container);
  }

  /** Removes the container whatever its state (the data is throwaway). */
  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch(() => undefined);
    forget(this.container.id);
    this.state = 'stopped';
  }

  private async waitUntilStarted(since: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = await containerLogs(this.container, since);
      if (STARTED.test(text)) {
        this.hostPid = (await this.container.inspect()).State.Pid || undefined;
        return;
      }
      const { State } = await this.container.inspect();
      if (!State.Running) {
        this.state = 'stopped';
        const tail = text.trim().split('\n').slice(-3).join(' | ');
        throw new HarnessError('CLUSTER_START_FAILED', `kafka-${this.id} (container ${this.name}) exited ${State.ExitCode} before it started: ${tail || 'no output'}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new HarnessError('TIMEOUT', `kafka-${this.id} (container ${this.name}) did not start within ${timeoutMs / 1000}s`);
  }
}
