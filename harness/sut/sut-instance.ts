import { join } from 'node:path';
import { ManagedProcess } from '../cluster/managed-process.ts';
import { fileSize, lastLines, readFrom } from '../cluster/log-watch.ts';
import { HarnessError } from '../errors.ts';
import { createKafka, type ClientSettings } from '../kafka/kafka-client.ts';
import type { SutConfig } from './sut-config.ts';
import { clientIdOf, inheritedEnvironment, sutEnvironment, type SutRunContext } from './sut-env.ts';

/** One instance of a SUT: a process the harness starts, stops, kills, pauses and restarts. */
export class SutInstance {
  readonly process: ManagedProcess;
  readonly logFile: string;

  constructor(
    readonly id: number,
    private readonly config: SutConfig,
    private readonly run: SutRunContext,
    private readonly clientSettings: ClientSettings,
    runDir: string,
    instanceCount: number,
    readonly metricsPort: number,
  ) {
    this.logFile = join(runDir, `${config.name}-${id}.log`);
    const security = clientSettings.security ? { security: clientSettings.security } : {};
    const env = { ...inheritedEnvironment(process.env), ...sutEnvironment(config, { ...run, ...security }, id, instanceCount, metricsPort) };
    const [command, args] = typeof config.command === 'string' ? ['/bin/sh', ['-c', config.command]] : [config.command[0]!, config.command.slice(1)];
    this.process = new ManagedProcess({
      name: `${config.name}-${id}`,
      command,
      args: [...args],
      env,
      cwd: config.cwd,
      logFile: this.logFile,
      // The sweep recognises SUT processes by their command line; a shell SUT keeps its argv.
      marker: typeof config.command === 'string' ? config.command.slice(0, 200) : config.command.join(' ').slice(0, 200),
    });
  }

  get running(): boolean {
    return this.process.isRunning;
  }

  /** Group members that belonged to an earlier incarnation (a killed member lingers until its session expires). */
  private staleMembers = new Set<string>();

  /** Starts the process and waits until the contract's readiness condition holds. */
  async start(): Promise<void> {
    const from = await fileSize(this.logFile);
    if (this.config.readiness.kind === 'group') this.staleMembers = new Set(await this.groupMembers().catch(() => []));
    this.superseded = false;
    this.process.spawn();
    await this.waitReady(from);
  }

  /** Set when the harness itself stops or kills the instance: a start still waiting then ends quietly. */
  private superseded = false;

  kill = () => {
    this.superseded = true;
    return this.process.kill();
  };
  stop = (graceMs?: number) => {
    this.superseded = true;
    return this.process.stop(graceMs);
  };
  pause = () => this.process.pause();
  resume = () => this.process.resume();

  async restart(): Promise<void> {
    await this.process.stop(this.config.stopGraceMs);
    await this.start();
  }

  private async waitReady(logFrom: number): Promise<void> {
    const deadline = Date.now() + this.config.readinessTimeoutMs;
    let exitCode: number | null | undefined;
    let lastProblem = '';
    void this.process.waitForExit().then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        // Scaled down or crashed on purpose before it was ready (a rebalance storm): not a start failure.
        if (this.superseded) return;
        const tail = lastLines(await readFrom(this.logFile, logFrom), 2).join(' | ');
        throw new HarnessError('SUT_START_FAILED', `SUT '${this.config.name}' instance ${this.id} exited with code ${exitCode} before it was ready${tail ? `: ${tail}` : ''} (log: ${this.logFile})`);
      }
      let ready = false;
      try {
        ready = await this.isReady(logFrom);
        lastProblem = ready ? '' : lastProblem;
      } catch (error) {
        lastProblem = (error as Error).message;
      }
      if (ready) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.process.kill();
    throw new HarnessError('SUT_START_FAILED', `SUT '${this.config.name}' instance ${this.id} not ready within ${this.config.readinessTimeoutMs / 1000}s (${this.config.readiness.kind} readiness${lastProblem ? `: ${lastProblem}` : ''}; log: ${this.logFile})`);
  }

  /** Member ids in our group that use this instance's client id (only when the group is Stable, if asked). */
  private async groupMembers(stableOnly = false): Promise<string[]> {
    const readiness = this.config.readiness;
    const groupId = (readiness.kind === 'group' ? readiness.groupId : undefined) ?? this.run.groupId;
    const admin = createKafka({ ...this.clientSettings, retries: 2 }).admin();
    try {
      await admin.connect();
      const group = (await admin.describeGroups([groupId])).groups[0];
      if (!group || (stableOnly && group.state !== 'Stable')) return [];
      return group.members.filter((m) => this.isOwnClientId(m.clientId)).map((m) => m.memberId);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * A group member is this instance's when its client id is the one it was given, or starts with
   * it and a dash (Kafka Streams names its consumers `<client.id>-StreamThread-N-consumer`), or
   * starts with the declared `clientIdPrefix` followed by the instance id's client id suffix.
   */
  private isOwnClientId(memberClientId: string): boolean {
    const given = clientIdOf(this.config, this.run, this.id);
    const readiness = this.config.readiness;
    const prefix = readiness.kind === 'group' ? readiness.clientIdPrefix : undefined;
    if (prefix !== undefined) return memberClientId.startsWith(prefix);
    return memberClientId === given || memberClientId.startsWith(`${given}-`);
  }

  private async isReady(logFrom: number): Promise<boolean> {
    const readiness = this.config.readiness;
    switch (readiness.kind) {
      case 'none':
      case 'first-output': // the runner holds the phases until the first output (run-scenario.ts)
        return true;
      case 'log':
        return new RegExp(readiness.pattern).test(await readFrom(this.logFile, logFrom));
      case 'http': {
        const url = readiness.url.replace('{port}', String(this.metricsPort));
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        return response.ok;
      }
      case 'group': {
        const members = await this.groupMembers(true);
        if (members.some((id) => !this.staleMembers.has(id))) return true;
        throw new Error(`no new member with client id ${clientIdOf(this.config, this.run, this.id)} in a Stable group yet`);
      }
    }
  }
}
