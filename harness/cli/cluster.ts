import { sweepPartitionTablesHere } from '../faults/nft-rules.ts';
import { loadClusterStates, forgetAllClusterStates, saveClusterState, stopClusterState } from '../cluster/cluster-state.ts';
import { startLocalCluster } from '../cluster/local-provider.ts';
import { isOurs, ownRecord, sweepOrphans, waitUntilGone } from '../cluster/process-registry.ts';
import { sweepOrphanMounts } from '../cluster/mount-registry.ts';
import { findDockerEngine, useDockerEngine } from '../tools/docker-engine.ts';
import { EXIT, HarnessError } from '../errors.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { DEFAULT_KAFKA_VERSION, validateKafkaVersion } from '../tools/kafka-jars.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { printJson, progressLine } from './output.ts';

const usage = 'streamproof cluster up [--brokers 1|3] [--kafka-version V] [--base-port P] [--name N] [--json] | status [--json] | down [--name N] [--all]';

const options = {
  brokers: { type: 'string' },
  'kafka-version': { type: 'string' },
  'base-port': { type: 'string' },
  name: { type: 'string' },
  json: { type: 'boolean' },
  all: { type: 'boolean' },
} as const;

const command: Command = {
  name: 'cluster',
  summary: 'start a lab cluster in the background, show it, or tear it down',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, options, usage, true);
    const name = values.name ?? 'default';
    switch (positionals[0]) {
      case 'up':
        return up(name, values);
      case 'status':
        return status(values.json ?? false);
      case 'down':
        return down(name, values.all ?? false);
      default:
        throw new HarnessError('USAGE', `usage: ${usage}`);
    }
  },
};
export default command;

async function up(name: string, values: { brokers?: string; 'kafka-version'?: string; 'base-port'?: string; json?: boolean }): Promise<number> {
  const brokers = intOption(values.brokers, '--brokers', 3);
  if (brokers !== 1 && brokers !== 3) throw new HarnessError('USAGE', `--brokers takes 1 or 3, got ${brokers}`);
  const existing = (await loadClusterStates()).find((s) => s.name === name);
  if (existing && existing.processes.some(isOurs)) {
    throw new HarnessError('CLUSTER_START_FAILED', `cluster '${name}' is already running (${existing.details.bootstrapServers}); run 'streamproof cluster down' first or pick --name`);
  }
  const basePort = values['base-port'] === undefined ? undefined : intOption(values['base-port'], '--base-port', 0);
  const cluster = await startLocalCluster({
    brokers,
    kafkaVersion: validateKafkaVersion(values['kafka-version'] ?? DEFAULT_KAFKA_VERSION),
    basePort,
    keepData: true,
    onProgress: progressLine,
  });
  cluster.detach();
  const details = cluster.describe();
  const processes = [...cluster.nodes.map((n) => n.process), cluster.toxiproxyProcess].map((p) => ownRecord(p.pid!, p.spec.name, p.spec.marker));
  await saveClusterState({ name, startedAt: new Date().toISOString(), details, processes });
  if (values.json) printJson({ name, ...details });
  else {
    console.log(`cluster '${name}' ready: Kafka ${details.kafkaVersion}, ${brokers} broker(s)`);
    console.log(`bootstrap servers: ${details.bootstrapServers}`);
    console.log(`toxiproxy: ${details.toxiproxyUrl} (pid ${details.toxiproxyPid})`);
    for (const b of details.brokers) {
      console.log(`broker ${b.id}: pid ${b.pid}, client ${b.clientProxyPort} -> ${b.clientPort}, internal ${b.internalProxyPort} -> ${b.internalPort}, controller ${b.controllerProxyPort} -> ${b.controllerPort}`);
    }
    console.log(`logs: ${details.runDir}`);
  }
  return EXIT.pass;
}

async function status(json: boolean): Promise<number> {
  const states = await loadClusterStates();
  const report = [];
  for (const state of states) {
    const alive = state.processes.filter(isOurs).length;
    let brokersInMetadata: number | undefined;
    if (alive > 0) {
      const admin = createKafka({ brokers: state.details.bootstrapServers.split(','), retries: 0, connectionTimeoutMs: 1000, requestTimeoutMs: 3000 }).admin();
      try {
        await admin.connect();
        brokersInMetadata = (await admin.describeCluster()).brokers.length;
      } catch {
        brokersInMetadata = undefined;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
    report.push({ name: state.name, bootstrapServers: state.details.bootstrapServers, toxiproxyUrl: state.details.toxiproxyUrl, processesAlive: alive, processes: state.processes.length, brokersInMetadata });
  }
  if (json) printJson(report);
  else if (report.length === 0) console.log('no background cluster (start one with: streamproof cluster up)');
  else
    for (const r of report) {
      console.log(`${r.name}: ${r.processesAlive}/${r.processes} processes alive, ${r.brokersInMetadata ?? 'no'} broker(s) answering at ${r.bootstrapServers}; toxiproxy ${r.toxiproxyUrl}`);
    }
  return EXIT.pass;
}

async function down(name: string, all: boolean): Promise<number> {
  const states = await loadClusterStates();
  const pids: number[] = [];
  let stopped = 0;
  for (const state of states) {
    if (!all && state.name !== name) continue;
    pids.push(...state.processes.map((p) => p.pid));
    stopped += await stopClusterState(state);
  }
  const swept = all ? sweepOrphans() : { stopped: [], spared: [] };
  pids.push(...swept.stopped.map((r) => r.pid));
  stopped += swept.stopped.length;
  if (all) {
    stopped += await sweepDockerContainers();
    await forgetAllClusterStates();
    const tables = sweepPartitionTablesHere();
    if (tables.removed.length > 0) console.log(`removed ${tables.removed.length} nftables table(s) of crashed runs: ${tables.removed.join(', ')}`);
  }
  const stillAlive = await waitUntilGone(pids);
  if (stillAlive.length > 0) throw new HarnessError('INTERNAL', `processes ${stillAlive.join(', ')} did not stop`);
  // Broker disks (tmpfs mounts) of harnesses that have exited, once their JVMs are gone.
  const mounts = all ? sweepOrphanMounts() : { unmounted: [], spared: [] };
  console.log(stopped === 0 ? 'nothing to stop' : `stopped ${stopped} process(es)`);
  if (mounts.unmounted.length > 0) console.log(`unmounted ${mounts.unmounted.length} broker disk(s): ${mounts.unmounted.map((m) => m.path).join(', ')}`);
  if (mounts.spared.length > 0) console.log(`left ${mounts.spared.length} broker disk(s) of running harness(es): that run unmounts them when it ends`);
  const owners = [...new Set(swept.spared.map((r) => r.ownerPid))];
  if (owners.length > 0) {
    console.log(`left ${swept.spared.length} process(es) of running harness pid(s) ${owners.join(', ')}: that run stops them when it ends`);
  }
  return EXIT.pass;
}

/** `down --all` also removes the docker provider's containers, when an engine answers (nothing is started to ask). */
async function sweepDockerContainers(): Promise<number> {
  const { engine } = await findDockerEngine();
  if (!engine) return 0;
  useDockerEngine(engine);
  const { getContainerRuntimeClient } = await import('testcontainers');
  const { sweepDockerOrphans } = await import('../cluster/docker-sweep.ts');
  return (await sweepDockerOrphans((await getContainerRuntimeClient()).container.dockerode, { detached: true })).length;
}
