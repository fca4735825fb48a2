import type { ClientSettings } from '../kafka/kafka-client.ts';
import type { LinkSpec } from './cluster-layout.ts';
import type { LaunchLayer } from './launch-layer.ts';
import type { LabAddresses } from './lab-addresses.ts';
import type { ControllerElection } from './controller-elections.ts';
import type { ToxiproxyLinks } from './toxiproxy-links.ts';

export type ProviderName = 'local' | 'external' | 'docker';

/** What a provider knows about one broker. Ports are the proxied ones clients see. */
export interface BrokerInfo {
  id: number;
  host: string;
  /** Advertised (proxied) client port. */
  port: number;
  realPort?: number;
  pid?: number;
}

/** Process control of one broker; only providers that run the brokers offer it. */
export interface BrokerProcessControl {
  readonly brokerId: number;
  readonly pid: number | undefined;
  readonly running: boolean;
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Local: SIGSTOP/SIGCONT, at once; docker: the engine's pause/unpause, hence the promise. */
  pause(): void | Promise<void>;
  resume(): void | Promise<void>;
  /** Starts a stopped or killed broker again, with its data, and waits until it is up. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** What the next start adds to the launch (local provider only): clock and address layers. */
  readonly layers?: Map<string, LaunchLayer>;
}

/** A broker's log dir on a size-limited filesystem of its own (local provider, `diskMb`): what `disk.full` fills. */
export interface BrokerDisk {
  /** The mount point; the log dir is a folder inside it, a filler file goes beside that. */
  readonly path: string;
  readonly sizeBytes: number;
  freeBytes(): Promise<number>;
  /** The broker's server.log, where Kafka says what it made of the full disk. */
  readonly serverLog: string;
}

/**
 * A running cluster, whatever provides it. Connection details are methods, as in
 * testcontainers; `stop()` (or `await using`) tears everything down.
 */
export interface StartedCluster extends AsyncDisposable {
  readonly provider: ProviderName;
  readonly kafkaVersion: string;
  /** Where this cluster keeps its logs and data (local provider); undefined otherwise. */
  readonly runDir: string | undefined;
  bootstrapServers(): string[];
  brokers(): BrokerInfo[];
  /** Settings for a Kafka client of this cluster (bootstrap, TLS, SASL). */
  clientSettings(clientId?: string): ClientSettings;
  links(): LinkSpec[];
  toxiproxy(): ToxiproxyLinks | undefined;
  /** undefined when the provider cannot control broker processes (external). */
  brokerProcess(brokerId: number): BrokerProcessControl | undefined;
  /**
   * Each process on its own loopback address (local provider), and the layer that makes its
   * outgoing connections leave from there, or why they cannot (then partitions are unavailable).
   */
  addressing?(): LabAddressing;
  /** KRaft controller elections so far, oldest first (harness/cluster/controller-elections.ts). */
  controllerElections?(): Promise<ControllerElection[]>;
  /** The broker's size-limited disk; undefined when the lab has none (started without `diskMb`, or not local). */
  brokerDisk?(brokerId: number): BrokerDisk | undefined;
  /** The KRaft quorum leader; undefined when the provider cannot tell. */
  activeControllerId?(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export interface LabAddressing {
  addresses: LabAddresses;
  /** The launch layer giving a process `address` as its source, or why there is none here. */
  sourceLayer: ((address: string) => LaunchLayer) | { reason: string };
}

/** The launch layer giving a process the address `pick` chooses on this cluster's lab; undefined where there is none. */
export function sourceLayerOf(cluster: StartedCluster, pick: (addresses: LabAddresses) => string): LaunchLayer | undefined {
  const addressing = cluster.addressing?.();
  const layer = addressing?.sourceLayer;
  return addressing && typeof layer === 'function' ? layer(pick(addressing.addresses)) : undefined;
}
