import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { HarnessError } from '../errors.ts';
import { hasSecrets } from '../redaction.ts';
import { launchEnvironment, type LaunchLayer } from './launch-layer.ts';
import { killGroup, ownRecord, registerProcess, unregisterProcess } from './process-registry.ts';
import { RedactingLog } from './redacting-log.ts';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Appears in the command line; how a sweep recognises the process as ours. */
  marker: string;
}

/**
 * A process we started, in its own process group, tracked by a pid file. Signals go to the
 * whole group, so a wrapper script's children stop with it.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private running = false;
  private stopOnExit = true;
  /** Added to the launch at every spawn, by name (harness/cluster/launch-layer.ts). */
  readonly layers = new Map<string, LaunchLayer>();

  constructor(readonly spec: ProcessSpec) {}

  static start(spec: ProcessSpec): ManagedProcess {
    const process = new ManagedProcess(spec);
    process.spawn();
    return process;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get isRunning(): boolean {
    return this.running;
  }

  spawn(): void {
    if (this.running) throw new HarnessError('INTERNAL', `${this.spec.name} is already running`);
    // With secrets about (an external cluster's password), output passes through a redacting
    // pipe into the log file; otherwise the child writes the file itself and outlives us cleanly.
    const redacting = hasSecrets();
    const out = redacting ? 'pipe' : openSync(this.spec.logFile, 'a');
    const layers = [...this.layers.values()];
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: launchEnvironment(this.spec.env ?? process.env, layers),
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (typeof out === 'number') closeSync(out);
    const log = redacting && child.stdout && child.stderr ? new RedactingLog(this.spec.logFile, [child.stdout, child.stderr]) : undefined;
    if (child.pid === undefined) throw new HarnessError('CLUSTER_START_FAILED', `could not start ${this.spec.name} (${this.spec.command})`);
    if (!this.stopOnExit) child.unref();
    this.child = child;
    this.running = true;
    const pid = child.pid;
    registerProcess(ownRecord(pid, this.spec.name, this.spec.marker), this.stopOnExit);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.running = false;
        unregisterProcess(pid);
        for (const layer of layers) layer.afterExit?.(pid);
        // Its last lines are in the log before anyone reads the log for why it exited.
        const flushed = log ? Promise.race([log.closed, new Promise((r) => setTimeout(r, 2000).unref())]) : Promise.resolve();
        void flushed.then(() => resolve(code));
      });
      child.once('error', () => resolve(null));
    });
  }

  /** Resolves with the exit code (null when killed by a signal). */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  signal(signal: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid !== undefined) killGroup(pid, signal);
  }

  pause(): void {
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
  }

  /** SIGKILL and wait until the process is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGCONT');
    this.signal('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Let the process outlive this harness process (background clusters). */
  detachFromHarness(): void {
    this.stopOnExit = false;
    this.child?.unref();
    const pid = this.pid;
    if (pid !== undefined) {
      registerProcess(ownRecord(pid, this.spec.name, this.spec.marker), false);
    }
  }
}
