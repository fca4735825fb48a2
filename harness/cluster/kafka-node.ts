import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import type { KafkaJars } from '../tools/kafka-jars.ts';
import type { ClusterLayout, NodeLayout } from './cluster-layout.ts';
import { kafkaJvmOptions, kafkaNodeProperties } from './kafka-config.ts';
import { fileSize, lastLines, readFrom } from './log-watch.ts';
import { ManagedProcess } from './managed-process.ts';
import { newKafkaUuid } from './kafka-uuid.ts';
import { writeNodeStorage } from './node-storage.ts';
import { LimitedDisk } from './limited-disk.ts';

const STARTED = /Kafka Server started/;
const FATAL = /(Exiting Kafka|FATAL|Address already in use)/;

/** One KRaft node (broker + controller) as a JVM process, with its own dir in the run folder. */
export class KafkaNode {
  readonly dir: string;
  readonly logFile: string;
  readonly propertiesFile: string;
  readonly process: ManagedProcess;
  /** The node's own size-limited filesystem, when the lab was asked for one (`diskMb`). */
  disk: LimitedDisk | undefined;

  constructor(
    readonly layout: NodeLayout,
    private readonly jars: KafkaJars,
    runDir: string,
    private readonly diskMb?: number,
  ) {
    this.dir = join(runDir, `kafka-${layout.id}`);
    this.logFile = join(this.dir, 'server.log');
    this.propertiesFile = join(this.dir, 'server.properties');
    this.process = new ManagedProcess({
      name: `kafka-${layout.id}`,
      command: 'java',
      // The collector's pauses and heap after each collection: a stalled broker is often a full heap.
      args: [...kafkaJvmOptions(jars, this.logFile), `-Xlog:gc:file=${join(this.dir, 'gc.log')}:uptime,time`, '-cp', jars.classpath, 'kafka.Kafka', this.propertiesFile],
      logFile: join(this.dir, 'stdout.log'),
      marker: this.propertiesFile,
      cwd: this.dir,
    });
  }

  get id(): number {
    return this.layout.id;
  }

  /**
   * The log dir. On a limited disk it is a folder *inside* the mount (`disk/data`), not the
   * mount point itself: writing the storage wipes the log dir first, and a mount point cannot be
   * removed; the disk's root also keeps the filler file of `disk.full` out of Kafka's log dir.
   */
  get dataDir(): string {
    return this.diskMb === undefined ? join(this.dir, 'data') : join(this.dir, 'disk', 'data');
  }

  /**
   * Writes server.properties and the node's storage: a copy of the log dir this Kafka
   * version's StorageTool formatted once (harness/tools/kafka-storage.ts), with this
   * cluster's id and the node's own node and directory ids.
   */
  async prepare(clusterLayout: ClusterLayout, clusterId: string, overrides?: Record<string, string | number | boolean>): Promise<void> {
    const data = this.dataDir;
    await mkdir(this.dir, { recursive: true });
    // Mounted before the storage is written, so the storage lands on it.
    if (this.diskMb !== undefined && !this.disk) this.disk = await LimitedDisk.mount(join(this.dir, 'disk'), this.diskMb);
    await writeFile(this.propertiesFile, kafkaNodeProperties({ layout: clusterLayout, node: this.layout, logDir: data, overrides }));
    await writeNodeStorage(this.jars.storageTemplate, data, { clusterId, nodeId: this.id, directoryId: newKafkaUuid() });
  }

  /** Starts the JVM and resolves once the node logs that it started. */
  async start(timeoutMs = 120_000): Promise<void> {
    const from = await fileSize(this.logFile);
    this.process.spawn();
    await this.waitForLog(from, timeoutMs);
  }

  async restart(timeoutMs = 120_000): Promise<void> {
    if (this.process.isRunning) await this.process.stop();
    await this.start(timeoutMs);
  }

  private async waitForLog(from: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.process.waitForExit().then(() => (exited = true));
    while (Date.now() < deadline) {
      const text = await readFrom(this.logFile, from);
      if (STARTED.test(text)) return;
      if (exited || FATAL.test(text)) {
        const stdout = await readFrom(this.process.spec.logFile, 0);
        const tail = lastLines(`${text}\n${stdout}`, 3).join(' | ');
        await this.process.kill();
        throw new HarnessError('CLUSTER_START_FAILED', `kafka-${this.id} did not start: ${tail || 'no log output'} (logs in ${this.dir})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.process.kill();
    throw new HarnessError('TIMEOUT', `kafka-${this.id} did not start within ${timeoutMs / 1000}s (logs in ${this.dir})`);
  }
}
