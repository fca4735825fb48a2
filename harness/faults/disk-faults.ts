import { limitedDiskUnavailable } from '../cluster/disk-probe.ts';
import { fileSize, readFrom } from '../cluster/log-watch.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import { readObject } from '../validation.ts';
import { BROKER_SELECTOR_KEYS, parseBrokerSelector, resolveBroker, type BrokerSelector } from './broker-target.ts';
import { fillDisk, freeFiller } from './disk-filler.ts';
import type { ActiveFault, FaultContext, FaultType } from './fault.ts';

/** What Kafka logs when a write fails for lack of space and it gives the log dir up. */
const DIR_FAILED = /Stopping serving logs in dir|LogDirFailureChannel|KafkaStorageException/;
/** Kafka 4.x with its only log dir gone: it halts (seen here: 4.3.1, ~1.5 s after the fill). */
const HALTED = /Shutdown broker because (all log dirs|the metadata log dir)[^(\n]*/;

/** How long `start` watches the broker's reaction before it records what it saw. */
const REACTION_WAIT_MS = 15_000;

const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The option a lab needs for this fault, named in every refusal. */
export const DISK_OPTION_HINT = "set 'brokerDiskMb' in the scenario (or `diskMb` in startLocalCluster)";

/** Why disk.full cannot run on this cluster here, or undefined. */
export async function diskFullUnavailable(cluster: StartedCluster): Promise<string | undefined> {
  if (cluster.provider !== 'local') return `it needs the local provider (brokers on this machine, each log dir on a disk of its own); the ${cluster.provider} provider has none`;
  const machine = await limitedDiskUnavailable();
  if (machine) return machine;
  const first = cluster.brokers()[0]?.id;
  if (first === undefined || cluster.brokerDisk?.(first) === undefined) return `the lab was started without size-limited broker disks: ${DISK_OPTION_HINT}`;
  return undefined;
}

/** Watches the broker after the fill: its exit, or its log saying the dir failed. */
async function reaction(serverLog: string, from: number, running: () => boolean): Promise<string> {
  const started = Date.now();
  let dirFailedAt: number | undefined;
  while (Date.now() - started < REACTION_WAIT_MS) {
    const text = await readFrom(serverLog, from);
    const halted = HALTED.exec(text);
    if (dirFailedAt === undefined && DIR_FAILED.test(text)) dirFailedAt = Date.now();
    if (!running() || halted) {
      // The halt line comes before the JVM is gone; give it a moment to be seen exiting.
      const deadline = Date.now() + 3000;
      while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const secs = (((dirFailedAt ?? Date.now()) - started) / 1000).toFixed(1);
      return `log dir failed after ${secs} s; broker ${running() ? 'still running' : 'exited'}${halted ? ` ("${halted[0].trim()}")` : ''}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return dirFailedAt === undefined
    ? `no write failed within ${REACTION_WAIT_MS / 1000} s; broker still running`
    : `log dir failed after ${((dirFailedAt - started) / 1000).toFixed(1)} s; broker still running ${REACTION_WAIT_MS / 1000} s later`;
}

/**
 * `disk.full`: fills the broker's own size-limited disk (its log dir's filesystem) with a
 * filler file until ENOSPC. Kafka's next append fails, it takes the log dir offline, and with
 * no other log dir it halts. Heal frees the filler and starts the broker again with its data
 * (or restarts it, if it kept running with the dir offline: Kafka never takes a failed dir back
 * without a restart). The target recorded in the history says what was filled and what the
 * broker did.
 */
export const DISK_FULL: FaultType<BrokerSelector> = {
  name: 'disk.full',
  summary: "fill a broker's log filesystem to its limit (needs a lab with brokerDiskMb); heal frees it and starts the broker again if it stopped",
  needsProcessControl: true,
  parse: (attributes, path) => parseBrokerSelector(readObject(attributes ?? {}, path, BROKER_SELECTOR_KEYS), path),
  unavailable: diskFullUnavailable,
  async start(context: FaultContext, selector: BrokerSelector): Promise<ActiveFault> {
    const reason = await diskFullUnavailable(context.cluster);
    if (reason) throw new HarnessError('FAULT_UNSUPPORTED', `disk.full is unavailable here: ${reason}`);
    const { id, label } = await resolveBroker(context.cluster, selector, context.rng);
    const disk = context.cluster.brokerDisk?.(id);
    const control = context.cluster.brokerProcess(id);
    if (!disk || !control) throw new HarnessError('FAULT_UNSUPPORTED', `disk.full: broker ${id} has no disk of its own or no process control: ${DISK_OPTION_HINT}`);
    const logFrom = await fileSize(disk.serverLog);
    const wasRunning = control.running;
    const filled = await fillDisk(disk.path);
    // A broker already down (another fault) meets the full disk when it is started again.
    const seen = wasRunning ? await reaction(disk.serverLog, logFrom, () => control.running) : 'broker was not running';
    let healed = false;
    return {
      target: `${label}: filled ${MiB(filled.bytes)} of ${MiB(disk.sizeBytes)}; ${seen}`,
      async heal() {
        if (healed) return;
        healed = true;
        await freeFiller(filled.file);
        if (!control.running) await control.start();
        else if (DIR_FAILED.test(await readFrom(disk.serverLog, logFrom))) await control.restart();
      },
    };
  },
};

export const DISK_FAULTS = [DISK_FULL];
