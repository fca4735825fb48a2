/**
 * A MirrorMaker 2 process in dedicated mode (`org.apache.kafka.connect.mirror.MirrorMaker`)
 * replicating one cluster into another, managed like the lab's brokers: its own process group, a
 * pid file (so `cluster down --all` sweeps it after a crash), its log in the run directory.
 * Settings are the ones measured here (FACTS.md): 1 s sync, checkpoint and heartbeat intervals,
 * `offset.lag.max=0`, group offsets synced to the target, internal topics at the lab's
 * replication factor. Replicated topics keep MM2's default naming, `<source alias>.<topic>`, or
 * their own names with `identityTopics` (IdentityReplicationPolicy: active/passive DR, where the
 * DR site's clients use the same topic names). The source is read read_committed, so aborted
 * transactional records (a SUT's changelog) are not copied.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { fileSize, lastLines, readFrom } from '../cluster/log-watch.ts';
import type { LaunchLayer } from '../cluster/launch-layer.ts';
import { ManagedProcess } from '../cluster/managed-process.ts';
import { ProcessHandle } from '../cluster/process-handle.ts';
import { ensureMirrorMakerJars } from '../tools/mirror-maker-jars.ts';

export interface MirrorSite {
  /** The cluster's alias in MM2 (and the prefix of its topics on the other side). */
  alias: string;
  bootstrapServers: string[];
}

export interface MirrorMakerOptions {
  source: MirrorSite;
  target: MirrorSite;
  /** Topics to replicate: a comma-separated list of regexes (MM2's `topics`). */
  topics: string;
  /** Topics never replicated (MM2's `topics.exclude`, regexes). */
  topicsExclude?: string;
  /** Keep topic names on the target (IdentityReplicationPolicy) instead of prefixing the source alias. */
  identityTopics?: boolean;
  /** Consumer groups whose offsets are translated and synced (MM2's `groups`); default all. */
  groups?: string;
  /** Where mm2.properties and the log go. */
  dir: string;
  /** Replication factor of the replicated and internal topics on the target (and source). */
  replicationFactor?: number;
  kafkaVersion?: string;
  readyTimeoutMs?: number;
  log?: (line: string) => void;
  /** Its own source address (the primary lab's MirrorMaker address), so a partition can name it. */
  sourceLayer?: LaunchLayer;
}

const READY = /Kafka MirrorMaker started/;

export class MirrorMaker extends ProcessHandle {
  private constructor(
    process: ManagedProcess,
    readonly propertiesFile: string,
    readonly logFile: string,
  ) {
    super(process);
  }

  /** Starts MM2 and waits until it says it started (its connectors then begin replicating). */
  static async start(o: MirrorMakerOptions): Promise<MirrorMaker> {
    const jars = await ensureMirrorMakerJars(o.kafkaVersion, o.log);
    await mkdir(o.dir, { recursive: true });
    const propertiesFile = join(o.dir, 'mm2.properties');
    const logFile = join(o.dir, 'mirror-maker.log');
    await writeFile(propertiesFile, mirrorMakerProperties(o));
    const from = await fileSize(logFile);
    const process = new ManagedProcess({
      name: 'mirror-maker',
      command: 'java',
      args: ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dlog4j2.configurationFile=${jars.log4jConfig}`, '-cp', jars.classpath, 'org.apache.kafka.connect.mirror.MirrorMaker', propertiesFile],
      logFile,
      marker: propertiesFile,
    });
    if (o.sourceLayer) process.layers.set('source-address', o.sourceLayer);
    process.spawn();
    const mm = new MirrorMaker(process, propertiesFile, logFile);
    const deadline = Date.now() + (o.readyTimeoutMs ?? 90_000);
    while (Date.now() < deadline) {
      const text = await readFrom(logFile, from);
      if (READY.test(text)) return mm;
      if (!process.isRunning) {
        throw new HarnessError('CLUSTER_START_FAILED', `MirrorMaker 2 exited before it started (${logFile}): ${lastLines(text, 3).join(' | ')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await process.kill();
    throw new HarnessError('CLUSTER_START_FAILED', `MirrorMaker 2 did not start within ${Math.round((o.readyTimeoutMs ?? 90_000) / 1000)} s (${logFile})`);
  }
}

/** The mm2.properties of a one-way replication from `source` to `target`. */
export function mirrorMakerProperties(o: Pick<MirrorMakerOptions, 'source' | 'target' | 'topics' | 'topicsExclude' | 'identityTopics' | 'groups' | 'replicationFactor'>): string {
  if (o.source.alias === o.target.alias) throw new HarnessError('CONFIG_INVALID', `MirrorMaker 2: source and target need different aliases, both are '${o.source.alias}'`);
  for (const site of [o.source, o.target]) {
    if (!/^[A-Za-z0-9_-]+$/.test(site.alias)) throw new HarnessError('CONFIG_INVALID', `MirrorMaker 2: alias '${site.alias}' must be letters, digits, '-' or '_'`);
    if (site.bootstrapServers.length === 0) throw new HarnessError('CONFIG_INVALID', `MirrorMaker 2: cluster '${site.alias}' has no bootstrap servers`);
  }
  const rf = o.replicationFactor ?? 1;
  const { source: s, target: t } = o;
  return [
    `clusters = ${s.alias}, ${t.alias}`,
    `${s.alias}.bootstrap.servers = ${s.bootstrapServers.join(',')}`,
    `${t.alias}.bootstrap.servers = ${t.bootstrapServers.join(',')}`,
    `${s.alias}->${t.alias}.enabled = true`,
    `${s.alias}->${t.alias}.topics = ${o.topics}`,
    ...(o.topicsExclude ? [`${s.alias}->${t.alias}.topics.exclude = ${o.topicsExclude}`] : []),
    ...(o.identityTopics ? ['replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy'] : []),
    `${s.alias}.consumer.isolation.level = read_committed`,
    `${s.alias}->${t.alias}.groups = ${o.groups ?? '.*'}`,
    `${t.alias}->${s.alias}.enabled = false`,
    `replication.factor = ${rf}`,
    ...['checkpoints.topic', 'heartbeats.topic', 'offset-syncs.topic', 'offset.storage', 'status.storage', 'config.storage'].map((k) => `${k}.replication.factor = ${rf}`),
    'sync.group.offsets.enabled = true',
    'sync.group.offsets.interval.seconds = 1',
    'emit.checkpoints.interval.seconds = 1',
    'emit.heartbeats.interval.seconds = 1',
    'refresh.topics.interval.seconds = 1',
    'refresh.groups.interval.seconds = 1',
    // Translate every offset exactly (an offset sync per record), not within MM2's default 100.
    'offset.lag.max = 0',
    // Plugins from the classpath's service files only: ~4 s faster to start than scanning every jar.
    'plugin.discovery = service_load',
    '',
  ].join('\n');
}
