/**
 * Apicurio Registry run from its Quarkus jar (H2 in memory, so every start is empty), managed
 * like the lab's brokers: own process group, pid file, log in the run directory. 3.0.9 is built
 * without Quarkus's separate management interface, so health (`/health/ready`) is served on the
 * HTTP port next to the APIs; there is no management port to configure.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { fileSize, lastLines, readFrom } from '../cluster/log-watch.ts';
import { ManagedProcess } from '../cluster/managed-process.ts';
import { ProcessHandle } from '../cluster/process-handle.ts';
import { isPortFree } from '../cluster/ports.ts';
import { ensureApicurioRegistry } from '../tools/apicurio-registry.ts';

export interface SchemaRegistryOptions {
  /** Where the log goes (and the process's working directory). */
  dir: string;
  host?: string;
  port: number;
  version?: string;
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export class SchemaRegistryProcess extends ProcessHandle {
  private constructor(
    process: ManagedProcess,
    readonly host: string,
    readonly port: number,
    readonly logFile: string,
  ) {
    super(process);
  }

  /** Starts the registry and waits until its readiness check answers UP. */
  static async start(o: SchemaRegistryOptions): Promise<SchemaRegistryProcess> {
    const host = o.host ?? '127.0.0.1';
    // Before the (possibly long) install: a busy port would otherwise only show as a start timeout.
    if (!(await isPortFree(o.port, host))) {
      throw new HarnessError('PORT_IN_USE', `port ${o.port} on ${host} is already in use (needed by the schema registry)`, { context: { port: o.port } });
    }
    const tool = await ensureApicurioRegistry(o.version, o.log);
    await mkdir(o.dir, { recursive: true });
    const logFile = join(o.dir, 'schema-registry.log');
    const from = await fileSize(logFile);
    const process = ManagedProcess.start({
      name: 'schema-registry',
      command: 'java',
      args: [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        // C1 only: a test registry sees little traffic, and start-up is what we wait for.
        '-XX:TieredStopAtLevel=1',
        `-Dquarkus.http.host=${host}`,
        `-Dquarkus.http.port=${o.port}`,
        // Only a marker for the pid-file sweep; the registry ignores it.
        `-Dstreamproof.registry.dir=${o.dir}`,
        '-jar',
        tool.jar,
      ],
      cwd: o.dir,
      logFile,
      marker: `-Dstreamproof.registry.dir=${o.dir}`,
    });
    const registry = new SchemaRegistryProcess(process, host, o.port, logFile);
    const timeoutMs = o.readyTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await registry.isReady()) return registry;
      if (!process.isRunning) {
        throw new HarnessError('CLUSTER_START_FAILED', `schema registry exited before it was ready (${logFile})${await logTail(logFile, from)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await process.kill();
    throw new HarnessError('CLUSTER_START_FAILED', `schema registry was not ready within ${Math.round(timeoutMs / 1000)} s (${logFile})${await logTail(logFile, from)}`);
  }

  /** The registry's root; the Confluent-compatible API is under `/apis/ccompat/v7`. */
  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** True when `/health/ready` answers 200 (storage readable, no request timeouts). */
  private async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }
}

/** `: line | line | line` from what this start wrote to the log, or nothing if it wrote nothing. */
async function logTail(logFile: string, from: number): Promise<string> {
  const tail = lastLines(await readFrom(logFile, from), 3);
  return tail.length > 0 ? `: ${tail.join(' | ')}` : '';
}
