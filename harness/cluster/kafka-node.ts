import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import type { KafkaJars } from '../tools/kafka-jars.ts';
import { runCommand } from '../tools/run-command.ts';
import type { ClusterLayout, NodeLayout } from './cluster-layout.ts';
import { kafkaJvmOptions, kafkaNodeProperties } from './kafka-config.ts';
import { fileSize, lastLines, readFrom } from './log-watch.ts';
import { ManagedProcess } from './managed-process.ts';

const STARTED = /Kafka Server started/;
const FATAL = /(Exiting Kafka|FATAL|Address already in use)/;

/** One KRaft node (broker + controller) as a JVM process, with its own dir in the run folder. */
export class KafkaNode {
  readonly dir: string;
  readonly logFile: string;
  readonly propertiesFile: string;
  readonly process: ManagedProcess;

  constructor(
    readonly layout: NodeLayout,
    private readonly jars: KafkaJars,
    runDir: string,
  ) {
    this.dir = join(runDir, `kafka-${layout.id}`);
    this.logFile = join(this.dir, 'server.log');
    this.propertiesFile = join(this.dir, 'server.properties');
    this.process = new ManagedProcess({
      name: `kafka-${layout.id}`,
      command: 'java',
      args: [...kafkaJvmOptions(jars, this.logFile), '-cp', jars.classpath, 'kafka.Kafka', this.propertiesFile],
      logFile: join(this.dir, 'stdout.log'),
      marker: this.propertiesFile,
      cwd: this.dir,
    });
  }

  get id(): number {
    return this.layout.id;
  }

  /**
   * Writes server.properties and formats the log dir with the same jars. With a `template`
   * (a node of the same cluster already formatted), its storage is copied and only the node
   * and directory ids are rewritten: what `format` would write, without another JVM start.
   */
  async prepare(clusterLayout: ClusterLayout, clusterId: string, overrides?: Record<string, string | number | boolean>, template?: KafkaNode): Promise<void> {
    const data = join(this.dir, 'data');
    // A fresh cluster id needs fresh storage: a data dir left by an earlier run is wiped.
    await rm(data, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.propertiesFile, kafkaNodeProperties({ layout: clusterLayout, node: this.layout, logDir: data, overrides }));
    if (template) {
      await cp(join(template.dir, 'data'), data, { recursive: true });
      const meta = await readFile(join(data, 'meta.properties'), 'utf8');
      await writeFile(
        join(data, 'meta.properties'),
        meta.replace(/^node\.id=.*$/m, `node.id=${this.id}`).replace(/^directory\.id=.*$/m, `directory.id=${randomBytes(16).toString('base64url')}`),
      );
      return;
    }
    await mkdir(data, { recursive: true });
    await runCommand(
      'java',
      [...kafkaJvmOptions(this.jars, join(this.dir, 'format.log'), 256), '-cp', this.jars.classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', this.propertiesFile],
      { timeoutMs: 120_000 },
    ).catch((error: unknown) => {
      throw new HarnessError('CLUSTER_START_FAILED', `formatting kafka-${this.id} failed: ${(error as Error).message}`, { cause: error });
    });
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
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.process.kill();
    throw new HarnessError('TIMEOUT', `kafka-${this.id} did not start within ${timeoutMs / 1000}s (logs in ${this.dir})`);
  }
}
