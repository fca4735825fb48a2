import type { KafkaJars } from '../tools/kafka-jars.ts';
import type { ClusterLayout, NodeLayout } from './cluster-layout.ts';
import { quorumVotersFor } from './cluster-layout.ts';

export interface KafkaNodeConfigInput {
  layout: ClusterLayout;
  node: NodeLayout;
  logDir: string;
  /** Extra broker properties; they win over the defaults below. */
  overrides?: Record<string, string | number | boolean>;
}

/**
 * server.properties for one combined broker+controller KRaft node. Replication settings
 * follow the cluster size (RF = min(3, N), min ISR = min(2, N)); internal topics are kept
 * small and timeouts short so a 2-core machine gets a usable cluster fast and fails over
 * within seconds.
 */
export function kafkaNodeProperties({ layout, node, logDir, overrides = {} }: KafkaNodeConfigInput): string {
  const n = layout.nodes.length;
  const rf = Math.min(3, n);
  const minIsr = Math.min(2, n);
  const host = node.address;
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': node.id,
    'controller.quorum.voters': quorumVotersFor(layout, node.id),
    listeners: `CLIENT://${host}:${node.clientPort},INTERNAL://${host}:${node.internalPort},CONTROLLER://${host}:${node.controllerPort},REPLICATION://${host}:${node.replicationPort}`,
    'advertised.listeners': `CLIENT://${host}:${node.clientProxyPort},INTERNAL://${host}:${node.internalProxyPort},CONTROLLER://${host}:${node.controllerProxyPort},REPLICATION://${host}:${node.replicationProxyPort}`,
    'listener.security.protocol.map': 'CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,REPLICATION:PLAINTEXT',
    'inter.broker.listener.name': 'INTERNAL',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': logDir,
    'num.partitions': 3,
    'default.replication.factor': rf,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': 3,
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': minIsr,
    'group.initial.rebalance.delay.ms': 0,
    'unclean.leader.election.enable': false,
    'auto.create.topics.enable': true,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'background.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 4000,
    'replica.lag.time.max.ms': 8000,
    // Leadership goes back to the preferred replicas soon after a broker returns, inside the
    // faulting scenario's recovery, not minutes later in the middle of the next scenario
    // (seen: 46 leader moves at the default 300 s check stalled a steady phase for 20 s).
    'leader.imbalance.check.interval.seconds': 5,
    'controller.quorum.election.timeout.ms': 1000,
    'controller.quorum.fetch.timeout.ms': 2000,
    'log.segment.bytes': 64 * 1024 * 1024,
    'log.retention.check.interval.ms': 60_000,
    // The compaction map is allocated on the heap when the cleaner starts: the default 128 MB
    // was a quarter of our 512 MB heap (gc.log: 12 MB -> 173 MB live at start), and the lab's
    // compacted topics (changelogs, offsets, transactions) are small.
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    ...overrides,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/**
 * JVM options: modest heap, the serial collector and C1 only (startup on 2 shared cores is
 * CPU-bound: less JIT work is the bigger win), the class-data-sharing archive made at install
 * (docs/cluster.md: about half the start time), and our log4j2 file.
 */
export function kafkaJvmOptions(jars: Pick<KafkaJars, 'log4jConfig' | 'cdsArchive'>, logFile: string, heapMb = 512): string[] {
  const cds = jars.cdsArchive ? [`-XX:SharedArchiveFile=${jars.cdsArchive}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'] : [];
  return [
    ...cds,
    `-Xms${Math.min(256, heapMb)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Xss512k',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${jars.log4jConfig}`,
    `-Dstreamproof.log=${logFile}`,
  ];
}

/**
 * A bare single-node KRaft broker on one PLAINTEXT port (and the next for its controller),
 * no proxies: the benchmark's floor and the class-data-sharing build both use it.
 */
export function bareNodeProperties(port: number, logDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${port + 1}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}`,
    'controller.listener.names=CONTROLLER',
    `log.dirs=${logDir}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    '',
  ].join('\n');
}
