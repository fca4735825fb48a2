import type { ManagedProcess } from './managed-process.ts';

/**
 * A lab part that is one managed process (MirrorMaker 2, the schema registry), seen through the
 * verbs faults and teardown use; the part adds how it starts and what it serves.
 */
export abstract class ProcessHandle implements AsyncDisposable {
  protected constructor(protected readonly process: ManagedProcess) {}

  get pid(): number | undefined {
    return this.process.pid;
  }

  get isRunning(): boolean {
    return this.process.isRunning;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs = 10_000): Promise<void> {
    return this.process.stop(graceMs);
  }

  kill(): Promise<void> {
    return this.process.kill();
  }

  pause(): void {
    this.process.pause();
  }

  resume(): void {
    this.process.resume();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
