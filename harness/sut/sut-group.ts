import type { LaunchLayer } from '../cluster/launch-layer.ts';
import { mkdir } from 'node:fs/promises';
import type { ITopicConfig } from 'kafkajs';
import { HarnessError } from '../errors.ts';
import { createKafka, type ClientSettings } from '../kafka/kafka-client.ts';
import { allocatePortBlock } from '../cluster/ports.ts';
import { labTopic } from '../kafka/lab-topic.ts';
import type { SutConfig } from './sut-config.ts';
import type { SutRunContext } from './sut-env.ts';
import { SutInstance } from './sut-instance.ts';
import { clockFileFor, type ClockTarget } from '../clock/clock-target.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

export interface SutGroupOptions {
  config: SutConfig;
  run: SutRunContext;
  clientSettings: ClientSettings;
  /** stdout/stderr of every instance go here. */
  runDir: string;
  /** Replication factor for the topics the harness creates. */
  replicationFactor: number;
  /** Gives an instance its own source address on the lab (cluster.addressing()); absent elsewhere. */
  sourceLayer?: (instance: number) => LaunchLayer | undefined;
  /** Topic-level settings for every topic created here (a scenario's `sut.topicConfig`). */
  topicConfig?: Record<string, string>;
}

const MAX_INSTANCES = 16;

/**
 * All instances of one SUT in one run: creates its topics, starts, stops, kills, pauses,
 * restarts and scales instances. Instance ids are stable (0..n-1) so faults can name them.
 */
export class SutGroup implements AsyncDisposable {
  private readonly instances = new Map<number, SutInstance>();
  private metricsBase = 0;
  private readonly newInstanceHooks: ((id: number) => void)[] = [];

  constructor(private readonly options: SutGroupOptions) {}

  get config(): SutConfig {
    return this.options.config;
  }

  /** Creates the SUT's topics (idempotent), then starts the configured number of instances. */
  async start(): Promise<void> {
    await mkdir(this.options.runDir, { recursive: true });
    await this.createTopics();
    this.metricsBase = await allocatePortBlock(MAX_INSTANCES);
    await this.scale(this.config.instances);
  }

  instance(id: number): SutInstance {
    const instance = this.instances.get(id);
    if (!instance) throw new HarnessError('CONFIG_INVALID', `SUT '${this.config.name}' has no instance ${id} (running: ${[...this.instances.keys()].join(', ') || 'none'})`);
    return instance;
  }

  /** Runs `hook` for every instance made from now on, before its first start (a launch layer). */
  onNewInstance(hook: (id: number) => void): void {
    this.newInstanceHooks.push(hook);
  }

  /** Instance `id` as a clock fault sees it: its launch layers, a clock file beside its log, a restart that waits until ready. */
  clockTargets(id: number): ClockTarget[] {
    const instance = this.instance(id);
    return [
      {
        label: `sut-${id} (${this.config.name})`,
        layers: instance.process.layers,
        clockFile: clockFileFor(this.options.runDir, `${this.config.name}-${id}`),
        get running() {
          return instance.running;
        },
        get pid() {
          return instance.process.pid;
        },
        restart: () => instance.restart(),
      },
    ];
  }

  /** Every instance started so far (running or not) with its log file. */
  logs(): { instance: number; file: string }[] {
    return [...this.instances.values()].map((i) => ({ instance: i.id, file: i.logFile }));
  }

  runningInstances(): SutInstance[] {
    return [...this.instances.values()].filter((i) => i.running);
  }

  /** Starts or stops (SIGTERM) instances until `count` run; new ones start in parallel. */
  async scale(count: number): Promise<void> {
    if (count < 0 || count > MAX_INSTANCES) throw new HarnessError('CONFIG_INVALID', `cannot scale SUT '${this.config.name}' to ${count} instances (0..${MAX_INSTANCES})`);
    const starting: Promise<void>[] = [];
    for (let id = 0; id < count; id++) {
      let instance = this.instances.get(id);
      if (!instance) {
        instance = new SutInstance(id, this.config, this.options.run, this.options.clientSettings, this.options.runDir, count, this.metricsBase + id);
        const source = this.options.sourceLayer?.(id);
        if (source) instance.process.layers.set('source-address', source);
        this.instances.set(id, instance);
        for (const hook of this.newInstanceHooks) hook(id);
      }
      if (!instance.running) starting.push(instance.start());
    }
    const stopping = [...this.instances.values()].filter((i) => i.id >= count && i.running).map((i) => i.stop(this.config.stopGraceMs));
    const results = await Promise.allSettled([...starting, ...stopping]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.instances.values()].map((i) => i.stop(this.config.stopGraceMs)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll();
  }

  /** Creates the SUT's topics that do not exist yet (start does it too). */
  async createTopics(): Promise<void> {
    const wanted = sutTopicsToCreate(this.options.run.topics, this.options.replicationFactor, this.options.topicConfig);
    const admin = createKafka(this.options.clientSettings).admin();
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) await createTopicsWithLeaders(admin, missing);
    } catch (error) {
      throw new HarnessError('CLUSTER_UNREACHABLE', `could not create the SUT's topics: ${(error as Error).message}`, { cause: error });
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * The topics a run creates for a SUT: its inputs (their partitions), and its declared outputs of
 * every role (records, aggregate, dlq, late, bronze; as many partitions as the widest input), all with retention off
 * (`labTopic`). Topics the SUT's framework creates itself (changelogs, repartition topics) are not here.
 */
export function sutTopicsToCreate(topics: SutConfig['topics'], replicationFactor: number, config: Record<string, string> = {}): ITopicConfig[] {
  const partitions = Math.max(...topics.input.map((t) => t.partitions));
  const withConfig = (topic: ITopicConfig): ITopicConfig => ({ ...topic, configEntries: [...(topic.configEntries ?? []).filter((e) => !(e.name in config)), ...Object.entries(config).map(([name, value]) => ({ name, value }))] });
  return [
    ...topics.input.map((t) => withConfig(labTopic(t.name, t.partitions, replicationFactor))),
    ...topics.outputs.map((o) => withConfig(labTopic(o.name, partitions, replicationFactor))),
  ];
}
