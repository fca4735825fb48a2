/**
 * The real system of a model-based chaos test: one SUT on per-test topics of a started lab,
 * driven command by command (produce a batch, kill/pause/isolate a broker, crash or scale the
 * SUT, heal), with every send, output and fault in a history that the checkers judge at the end.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateEvents } from '../../generators/generate-events.ts';
import type { GeneratedRecord } from '../../generators/record.ts';
import { CHECKER_PARAMS_META_KEY } from '../checkers/index.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { nowUs } from '../history/clock.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import { judgeHistory, RUN_NOTES_META_KEY, type Judgement } from '../run/judge-history.ts';
import { finalScan, waitForLagZero } from '../run/run-observer.ts';
import { catchUpLive, LiveConsumer } from '../run/live-consumer.ts';
import { checkerParamsFor } from '../run/run-meta.ts';
import { sideGroups } from '../run/run-sides.ts';
import { makeRunId } from '../run/run-topics.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { SutGroup } from '../sut/sut-group.ts';
import { runWorkload } from '../workload/run-workload.ts';
import { eventTimeOrigin } from '../run/event-time-origin.ts';
import type { CheckerName } from '../../scenarios/model/scenario.ts';

export interface ChaosLabOptions {
  cluster: StartedCluster;
  /** The SUT as described (the harness knows no default pipeline). */
  sut: SutConfig;
  runDir: string;
  seed: number;
  /** Postcondition checkers; default lost, duplicates, order, aborted-reads, conservation. */
  checkers?: CheckerName[];
  /** Events per second a batch is sent at. Default 500. */
  rate?: number;
  /** Bound of the drain before judging. Default 60 s. */
  drainTimeoutMs?: number;
}

export const DEFAULT_CHAOS_CHECKERS: CheckerName[] = ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation'];

export class ChaosLab implements AsyncDisposable {
  private readonly faults = new Map<string, string>();
  private readonly crashed = new Set<number>();
  /** Brokers a fault is on (kill, pause, isolate): the workload bootstraps from the others. */
  private readonly impaired = new Set<number>();
  private sent = 0;
  private crashes = 0;
  private closed = false;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: ChaosLabOptions,
    private readonly history: HistoryWriter,
    private readonly kafka: ReturnType<typeof createKafka>,
    private readonly admin: ReturnType<ReturnType<typeof createKafka>['admin']>,
    private readonly group: SutGroup,
    private readonly sut: SutConfig,
    private readonly groupId: string,
    private readonly injector: FaultInjector,
    private readonly events: Iterator<GeneratedRecord>,
    private live: LiveConsumer | undefined,
  ) {
    injector.on((record, event) => {
      this.chain = this.chain.then(() =>
        event === 'start'
          ? history.recordFaultStart({ faultId: record.faultId, type: record.type, target: record.target, attrs: record.attributes, startUs: record.startUs })
          : history.recordFaultHeal(record.faultId, record.healUs ?? nowUs(), record.error ?? null),
      );
    });
  }

  /** Starts the SUT on fresh topics of the lab and starts watching its outputs. */
  static async open(options: ChaosLabOptions): Promise<ChaosLab> {
    await mkdir(options.runDir, { recursive: true });
    const runId = makeRunId('chaos-model', options.seed);
    const prefix = `${runId}.`;
    const side = { label: '', described: options.sut, outputPrefix: prefix, groupId: `${options.sut.name}-${runId}`, instances: options.sut.instances, sutFaults: true };
    const group = sideGroups([side], { runId, prefix, cluster: options.cluster, runDir: options.runDir })[0]!;
    const sut = group.config;
    const groupId = side.groupId;
    const history = await HistoryWriter.open(join(options.runDir, 'history.duckdb'));
    const kafka = createKafka(options.cluster.clientSettings(`streamproof-chaos-${runId}`));
    const admin = kafka.admin();
    const rng = new Random(options.seed);
    try {
      await history.setMeta('seed', options.seed);
      await history.setMeta('run.id', runId);
      await history.setMeta('sut', { name: sut.name, instances: sut.instances, topics: sut.topics, sinks: sut.sinks, promises: sut.promises });
      await history.setMeta(CHECKER_PARAMS_META_KEY, checkerParamsFor(sut));
      await admin.connect();
      await group.start();
      const live = await LiveConsumer.start(kafka, sut.topics.outputs, `streamproof-live-${runId}`, history);
      await history.recordPhase({ name: 'steady', startUs: nowUs() });
      // Event times near now, as in a run (harness/run/event-time-origin.ts).
      const eventTimeOriginMs = eventTimeOrigin(Date.now(), options.seed);
      await history.setMeta('workload', { eventTimeOriginMs });
      const events = generateEvents({ domain: 'orders', seed: rng.fork('workload').seed, count: 10_000_000, startTimeMs: eventTimeOriginMs, partitions: sut.topics.input[0]!.partitions });
      return new ChaosLab(options, history, kafka, admin, group, sut, groupId, new FaultInjector(options.cluster, rng.fork('faults')), events, live);
    } catch (error) {
      await group.stopAll();
      await admin.disconnect().catch(() => undefined);
      await history.close();
      throw error;
    }
  }

  /** Sends the next `count` events of the seeded workload (every send in the history). */
  async produceBatch(count: number): Promise<void> {
    const firstSendId = this.sent;
    this.sent += count;
    // A client bootstrapping from a paused broker waits out its metadata timeout; a real
    // producer would have other bootstrap servers, so use the brokers no fault is on.
    const { cluster } = this.options;
    const healthy = cluster.brokers().filter((b) => !this.impaired.has(b.id));
    const clientSettings = { ...cluster.clientSettings('streamproof-chaos-workload'), brokers: healthy.map((b) => `${b.host}:${b.port}`) };
    await runWorkload({ clientSettings, topic: this.sut.topics.input[0]!.name, events: { [Symbol.iterator]: () => this.events }, count, rate: { kind: 'constant', rate: this.options.rate ?? 500 }, history: this.history, firstSendId });
  }

  /** A cluster fault from the registry (`broker.kill`, `broker.pause`, `net.isolate`, ...), active until `heal`. */
  async clusterFault(type: string, attrs: Record<string, unknown>): Promise<void> {
    const id = await this.injector.start(type, attrs, `chaos:${type}`);
    this.faults.set(id, type);
    if (typeof attrs.broker === 'number') this.impaired.add(attrs.broker);
  }

  /** SIGKILL SUT instance `id`; it stays down until `heal`. */
  async crashSut(id: number): Promise<void> {
    const faultId = `sut.crash#${++this.crashes}-${id}`;
    await this.group.instance(id).kill();
    this.crashed.add(id);
    this.chain = this.chain.then(() => this.history.recordFaultStart({ faultId, type: 'sut.crash', target: `sut-${id}`, attrs: { instance: id }, startUs: nowUs() }));
    this.faults.set(faultId, 'sut.crash');
  }

  /** Scales the SUT to `instances` (a rebalance). */
  async scaleSut(instances: number): Promise<void> {
    await this.group.scale(instances);
    for (const id of [...this.crashed]) if (id >= instances) this.crashed.delete(id);
  }

  /** Heals every cluster fault and starts crashed SUT instances again. */
  async heal(): Promise<void> {
    await this.injector.healAll();
    for (const id of this.crashed) await this.group.instance(id).start();
    for (const [faultId, type] of this.faults) if (type === 'sut.crash') this.chain = this.chain.then(() => this.history.recordFaultHeal(faultId, nowUs(), null));
    this.crashed.clear();
    this.faults.clear();
    this.impaired.clear();
  }

  /** Instances running now. */
  runningInstances(): number[] {
    return this.group.runningInstances().map((i) => i.id);
  }

  /** The postcondition: heal, drain, scan every SUT topic, and judge the history with the checkers. */
  async verify(): Promise<Judgement> {
    const notes: string[] = [];
    await this.heal();
    const inputs = this.sut.topics.input.map((t) => t.name);
    const drained = await waitForLagZero(this.admin, this.groupId, inputs, this.options.drainTimeoutMs ?? 60_000);
    if (drained === null) notes.push(`the SUT did not drain within ${(this.options.drainTimeoutMs ?? 60_000) / 1000}s`);
    const liveBehind = await catchUpLive([this.live]);
    if (liveBehind) notes.push(liveBehind);
    await this.live?.disconnect();
    this.live = undefined;
    await this.group.stopAll();
    await finalScan(this.kafka, this.sut, this.history);
    await this.history.recordPhaseEnd('steady', nowUs());
    await this.chain;
    if (notes.length > 0) await this.history.setMeta(RUN_NOTES_META_KEY, notes);
    await this.close();
    const reader = await HistoryReader.open(join(this.options.runDir, 'history.duckdb'));
    try {
      return await judgeHistory(reader, { checkers: this.options.checkers ?? DEFAULT_CHAOS_CHECKERS, slas: {} });
    } finally {
      await reader.close();
    }
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.live?.disconnect().catch(() => undefined);
    await this.injector.healAll().catch(() => undefined);
    await this.group.stopAll();
    await this.admin.disconnect().catch(() => undefined);
    await this.chain.catch(() => undefined);
    await this.history.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
