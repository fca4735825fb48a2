/**
 * One run of a scenario against one or more SUT sides, as steps that `runSides` calls in order:
 * prepare (run files, SUT groups, one history per consumer group), record the start, start the
 * SUTs and watch their outputs, prime until the first output, drive the load with its phases and
 * fault time line, collect (drain, stop, scan), judge. `close` releases whatever was started,
 * whichever step failed.
 */
import { mkdir } from 'node:fs/promises';
import type { Admin, Kafka } from 'kafkajs';
import type { GeneratedRecord } from '../../generators/record.ts';
import { faultTimeline, type Scenario } from '../../scenarios/index.ts';
import { armClocks } from '../clock/arm-clocks.ts';
import { LAB_SETTLE_META_KEY, settleLab } from '../cluster/lab-settle.ts';
import { loseState, RebuildMarker } from '../drill/state-loss.ts';
import { HarnessError } from '../errors.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { checkFaultsAvailable } from '../faults/fault-registry.ts';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import type { SutGroup } from '../sut/sut-group.ts';
import { runWorkload, type WorkloadSummary } from '../workload/index.ts';
import { recordControllerElections } from './election-record.ts';
import { eventTimeOrigin } from './event-time-origin.ts';
import { FaultDriver } from './fault-driver.ts';
import { FIRST_OUTPUT_META_KEY, PRIMING_RATE, primeUntilFirstOutput, type FirstOutputWait } from './first-output.ts';
import { AccountingTracker, tap } from './group-progress.ts';
import { copyRunWideRows } from './history-copy.ts';
import { HOST_CPU_META_KEY, HostCpuSampler } from './host-cpu.ts';
import { RUN_NOTES_META_KEY } from './judge-history.ts';
import { catchUpLive, LIVE_CONSUMER_META_KEY, LiveConsumer } from './live-consumer.ts';
import { OutputSignal } from './output-signal.ts';
import { runReplayDrill } from './replay-drill.ts';
import { asSent, decodeWireValues, prepareEncoding, recordEncoding, type RunEncoding } from './run-encoding.ts';
import { recordRunMeta, replayCommand, writeRunFiles } from './run-meta.ts';
import type { RunSidesOptions } from './run-options.ts';
import { sideGroups, sideSinkDir, sideSut, SidesFaultTarget, watchSides, type RunSide } from './run-sides.ts';
import { makeRunId, translateFaultAttrs } from './run-topics.ts';
import { drainViews, judgeViews, openViews, scanViews, type RunView, type View } from './run-views.ts';
import { checkScenarioTopics, resolveFaultTopics } from './topic-refs.ts';
import { eventTimeRate, expectedSendCount, workloadRecords, type WorkloadRecords } from './workload-records.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** What `prepare` settles before anything starts. */
interface RunPlan {
  runId: string;
  /** Prefix of the run's topics (`<runId>.`); the input topic always takes it. */
  prefix: string;
  sides: RunSide[];
  timeline: ReturnType<typeof faultTimeline>;
  eventTimeOriginMs: number;
  replay: string;
  kafka: Kafka;
  admin: Admin;
  groups: SutGroup[];
  /** The input topics every side reads (the run's prefix). */
  inputTopics: string[];
  views: View[];
}

export class ScenarioRun {
  /** What the run noted (a group that did not drain, a fault that failed): written to every history. */
  private readonly notes: string[] = [];
  private readonly rng: Random;
  private readonly abort = new AbortController();
  /** What a `sut.state-loss` rebuild writes is told apart from what came before (harness/drill/state-loss.ts). */
  private readonly rebuild = new RebuildMarker();
  private readonly primary: View;
  private readonly inputTopic: string;
  private readonly faultGroups: SutGroup[];
  private readonly sutFaultTarget: SutGroup | SidesFaultTarget;
  private readonly injector: FaultInjector;
  /** Each view accounts acked inputs against its outputs (the drain of a SUT that commits no offsets). */
  private readonly accounting: Map<View, AccountingTracker>;
  /** Every send, priming included, is also accounted for by each view (quiescence drain). */
  private readonly sendsHistory: HistoryWriter;
  private readonly nextRecord = new OutputSignal();
  private outputSeen = false;
  private encoding: RunEncoding | undefined;
  /** What the progress lines show while the load runs. */
  private phase = '-';
  private rate: number | undefined;
  /** The main workload's highest event time so far (late bursts are stamped behind it). */
  private highWater = 0;
  private hostCpu: HostCpuSampler | undefined;
  private stopSampler: (() => void) | undefined;
  private errorCounters: { stop(): Promise<void> }[] = [];

  private constructor(
    private readonly options: RunSidesOptions,
    private readonly plan: RunPlan,
  ) {
    this.rng = new Random(options.seed);
    this.primary = plan.views[0]!;
    this.inputTopic = plan.inputTopics[0]!;
    this.faultGroups = plan.groups.filter((_, i) => plan.sides[i]!.sutFaults);
    this.sutFaultTarget = this.faultGroups.length === 1 ? this.faultGroups[0]! : new SidesFaultTarget(this.faultGroups);
    this.injector = new FaultInjector(options.cluster, this.rng.fork('faults'), this.sutFaultTarget);
    this.accounting = new Map(plan.views.map((v) => [v, new AccountingTracker(v.sut)]));
    this.sendsHistory = plan.views.reduce((h, v) => this.accounting.get(v)!.tapSends(h), this.primary.history);
  }

  /** Checks the scenario against the SUTs and the lab, writes the run files, opens the histories; starts nothing. */
  static async prepare(options: RunSidesOptions): Promise<ScenarioRun> {
    const { scenario, cluster, seed, runDir } = options;
    await mkdir(runDir, { recursive: true });
    const runId = makeRunId(scenario.name, seed);
    const prefix = `${runId}.`;
    if (scenario.sites) throw new HarnessError('USAGE', `scenario '${scenario.name}' is a failover drill: it needs a DR lab (streamproof run or drill start one)`);
    const sides = options.sides(runId, prefix);
    if (sides.length === 0) throw new HarnessError('CONFIG_INVALID', 'a run needs at least one SUT');
    // Fault attributes name topics by role ('$input'); a name that is not the SUT's fails here, not mid-run.
    const timeline = faultTimeline(scenario, seed);
    checkScenarioTopics(scenario, sides[0]!.described, timeline);
    await checkFaultsAvailable(cluster, timeline.map((fault) => fault.type), scenario.source);
    const eventTimeOriginMs = options.eventTimeOriginMs ?? eventTimeOrigin(Date.now(), seed);
    const replay = replayCommand(scenario, seed, [...(options.replayArgs ?? []), '--event-time-origin', String(eventTimeOriginMs)], options.replayCommandBase);
    await writeRunFiles(runDir, scenario, seed, replay);

    const kafka = createKafka(cluster.clientSettings(`streamproof-run-${runId}`));
    const admin = kafka.admin();
    const partitions = scenario.sut.partitions;
    const groups = sideGroups(sides, { runId, prefix, cluster, runDir, partitions, topicConfig: scenario.sut.topicConfig, registryUrl: options.registry?.url });
    const inputTopics = groups[0]!.config.topics.input.map((t) => t.name);
    const views = await openViews({ sides, viewDir: options.viewDir, sutOf: (side) => sideSut(side, prefix, { partitions }), kafka, admin, inputTopics });
    return new ScenarioRun(options, { runId, prefix, sides, timeline, eventTimeOriginMs, replay, kafka, admin, groups, inputTopics, views });
  }

  private get scenario(): Scenario {
    return this.options.scenario;
  }

  private readonly note = (text: string) => void this.notes.push(text);

  private readonly message = (text: string) =>
    this.options.onProgress?.({ scenario: this.scenario.name, phase: '-', elapsedMs: 0, runMs: this.scenario.runDurationMs, rate: undefined, lag: undefined, activeFaults: [], message: text });

  /** Every history's run meta, the schemas registered, the SUTs' clocks armed, our own lab settled. */
  async recordStart(): Promise<void> {
    const { scenario, seed, cluster, registry } = this.options;
    const { runId, replay, eventTimeOriginMs, views } = this.plan;
    for (const view of views) {
      if (view !== this.primary) await writeRunFiles(view.dir, scenario, seed, replay);
      const { history, sut } = view;
      await recordRunMeta(history, { scenario, seed, runId, replay, cluster, sut, workload: { eventTimeSpeedup: this.options.eventTimeSpeedup ?? 5, eventsPerSecond: eventTimeRate(scenario, this.options.eventTimeSpeedup), eventTimeOriginMs } });
      if (view.sides.length > 1 || view.sides[0]!.label !== '') {
        await history.setMeta('sides', view.sides.map((s) => ({ label: s.label, name: s.described.name, groupId: s.groupId, instances: s.instances })));
      }
    }
    this.encoding = await prepareEncoding(scenario, this.inputTopic, registry, this.rng.fork('encoding').seed);
    if (this.encoding) {
      this.message(`schemas registered under ${this.encoding.subject}: ${this.encoding.schemas.map((s) => `v${s.version} id ${s.id}`).join(', ')}`);
      for (const view of views) await recordEncoding(view.history, this.encoding, registry!);
    }
    await this.plan.admin.connect();
    await armClocks(this.plan.timeline, { suts: this.faultGroups, cluster, onProgress: this.message });
    if (cluster.provider !== 'external') await this.settleLab().catch((error: unknown) => this.note(`the lab settle check failed: ${(error as Error).message}`));
  }

  /** Our own lab must be quiet before the load starts (a user's cluster is theirs: no probe topic there). */
  private async settleLab(): Promise<void> {
    const lab = await settleLab(this.plan.kafka, { brokers: this.options.cluster.brokers().length });
    for (const view of this.plan.views) await view.history.setMeta(LAB_SETTLE_META_KEY, lab);
    const seen = `probe transactions ${lab.probeMs.join('/')} ms (bound ${lab.boundMs}), ${lab.underReplicated} of ${lab.partitions} partitions under-replicated`;
    if (lab.settled) this.message(`lab settled in ${(lab.waitedMs / 1000).toFixed(1)} s: ${seen}`);
    else this.note(`the lab had not settled after ${Math.round(lab.waitedMs / 1000)} s when the run started: ${seen}`);
  }

  /** Starts the SUTs one after the other, then a live consumer of every view's outputs. */
  async startSuts(): Promise<void> {
    const { prefix, sides, groups, views } = this.plan;
    // One after the other: SUTs share the input topic, and concurrent topic creation on the lab fails
    // ("This server does not host this topic-partition", seen with three SUTs starting at once).
    for (const [i, group] of groups.entries()) {
      const side = sides[i]!;
      const topics = side.outputPrefix === prefix ? `${prefix}*` : `${prefix}${group.config.topics.input[0]!.name.slice(prefix.length)} -> ${side.outputPrefix}*`;
      this.message(`starting SUT '${group.config.name}'${side.label ? ` (${side.label})` : ''} (${group.config.instances} instance(s)) on topics ${topics}`);
      await group.start();
    }
    for (const view of views) {
      const watched = tap(this.accounting.get(view)!.tapObserved(this.rebuild.wrap(view.history)), 'recordObserved', (row) => {
        this.outputSeen = true;
        if ((row as { role: string }).role === 'records-live') this.nextRecord.notify();
      });
      view.live = await LiveConsumer.start(this.plan.kafka, view.sut.topics.outputs, `streamproof-live-${view.groupId}`, watched);
    }
  }

  /** Sends plain events slowly until the SUT's first output: the phases start once it is up (bounded; first-output.ts). */
  async prime(): Promise<FirstOutputWait> {
    const boundMs = Math.max(...this.plan.groups.map((g) => g.config.firstOutputTimeoutMs));
    this.message(`priming at ${PRIMING_RATE}/s until the first output (at most ${Math.round(boundMs / 1000)} s)`);
    const wait = await primeUntilFirstOutput({
      cluster: this.options.cluster, topic: this.inputTopic, history: this.sendsHistory, seed: this.rng.fork('priming').seed, workload: this.scenario.workload,
      partitions: this.partitions, eventTimeOriginMs: this.plan.eventTimeOriginMs, boundMs, outputSeen: () => this.outputSeen, encoding: this.encoding,
    });
    for (const view of this.plan.views) await view.history.setMeta(FIRST_OUTPUT_META_KEY, wait);
    this.message(wait.seen ? `first output after ${(wait.waitedMs / 1000).toFixed(1)} s (${wait.primed} priming events)` : `no output within ${Math.round(boundMs / 1000)} s of priming; the phases start anyway`);
    return wait;
  }

  private get partitions(): number {
    return this.plan.groups[0]!.config.topics.input[0]!.partitions;
  }

  /** The phases, the workload and the fault time line, together; then every fault healed. */
  async drive(primed: FirstOutputWait): Promise<void> {
    const { scenario, cluster, eventTimeSpeedup } = this.options;
    // Read (a replayed sample is hashed again) before the clock of the phases starts.
    const main = workloadRecords(scenario.workload, {
      seed: this.rng.fork('workload').seed, count: expectedSendCount(scenario), partitions: this.partitions, startTimeMs: this.plan.eventTimeOriginMs, eventsPerSecond: eventTimeRate(scenario, eventTimeSpeedup),
    });
    const t0 = performance.now();
    const runStartUs = nowUs();
    const elapsed = () => performance.now() - t0;
    const driver = this.faultDriver(elapsed);
    this.startSamplers(elapsed, driver);
    this.errorCounters = await watchSides(this.plan.groups.map((group, i) => ({ group, label: this.plan.sides[i]!.label, history: this.historyOf(this.plan.sides[i]!.groupId) })));
    this.stopSampler = this.options.sampler?.({ kafka: this.plan.kafka, admin: this.plan.admin, inputTopic: this.inputTopic, historyOf: (groupId) => this.historyOf(groupId) });

    const [phasesDone, sent, faultsDone] = await Promise.allSettled([this.runPhases(elapsed), this.runWorkload(main, primed.primed), driver.run()]);
    if (phasesDone.status === 'rejected') throw phasesDone.reason;
    if (sent.status === 'rejected') throw sent.reason;
    if (faultsDone.status === 'rejected') this.note(`fault time line: ${(faultsDone.reason as Error).message}`);
    await this.injector.healAll().catch((error: unknown) => this.note(`healing left-over faults: ${(error as Error).message}`));
    await driver.settled();
    // Elections are what the lab did, not a problem of the run: a progress line, the history and `quorum` hold them.
    const elections = await recordControllerElections(cluster, this.primary.history, runStartUs);
    if (elections) this.message(elections);
    const { value } = sent;
    this.message(`sent ${value.sent} (${value.ok} ok, ${value.fail} fail, ${value.info} info); waiting for the SUT${this.plan.groups.length > 1 ? 's' : ''} to drain`);
  }

  private historyOf(groupId: string): HistoryWriter {
    const view = this.plan.views.find((v) => v.groupId === groupId);
    if (!view) throw new HarnessError('INTERNAL', `no history watches group ${groupId}`);
    return view.history;
  }

  private faultDriver(elapsed: () => number): FaultDriver {
    const { scenario, cluster } = this.options;
    const { sides, groups, prefix, runId, admin } = this.plan;
    const described = sides[0]!.described;
    return new FaultDriver({
      scenario,
      timeline: this.plan.timeline,
      injector: this.injector,
      sut: this.sutFaultTarget,
      cluster,
      history: this.primary.history,
      rng: this.rng.fork('sut-faults'),
      inputTopic: this.inputTopic,
      partitions: this.partitions,
      encoding: this.encoding,
      elapsed,
      eventTimeHighWater: () => this.highWater,
      eventTimeOriginMs: this.plan.eventTimeOriginMs,
      translate: (attrs) => translateFaultAttrs(resolveFaultTopics(attrs, described), described, prefix),
      signal: this.abort.signal,
      onNote: this.note,
      nextRecord: (timeoutMs, signal) => this.nextRecord.next(timeoutMs, signal),
      loseState: sides.length === 1
        ? () => loseState({ admin, group: groups[0]!, sut: this.primary.sut, groupId: sides[0]!.groupId, runId, sinkDir: sideSinkDir(this.primary.sut, this.options.runDir, ''), history: this.primary.history, marker: this.rebuild, onProgress: this.message })
        : undefined,
    });
  }

  /** Lag of every view each second (the primary's sample is the progress line) and the host's CPU. */
  private startSamplers(elapsed: () => number, driver: FaultDriver): void {
    const { scenario, onProgress } = this.options;
    const { views } = this.plan;
    const totalLag = () => (views.every((v) => v.lag.last !== undefined) ? views.reduce((sum, v) => sum + v.lag.last!, 0) : undefined);
    const progress = () => onProgress?.({ scenario: scenario.name, phase: this.phase, elapsedMs: elapsed(), runMs: scenario.runDurationMs, rate: this.rate, lag: totalLag(), activeFaults: driver.activeFaults() });
    for (const view of views) view.lag.start(1000, view === this.primary ? progress : undefined);
    this.hostCpu = new HostCpuSampler(this.primary.history, () => this.phase);
    this.hostCpu.start();
  }

  private async runPhases(elapsed: () => number): Promise<void> {
    const history = this.primary.history;
    for (const p of this.scenario.phases) {
      while (elapsed() < p.startMs) await sleep(Math.min(50, p.startMs - elapsed()));
      this.phase = p.name;
      await history.recordPhase({ name: p.name, startUs: nowUs() });
      while (elapsed() < p.endMs) await sleep(Math.min(50, p.endMs - elapsed()));
      await history.recordPhaseEnd(p.name, nowUs());
    }
    this.phase = 'done';
  }

  /** The main workload's events, sent at the scenario's rate (or the sample's pacing) after the priming ones. */
  private async runWorkload(main: WorkloadRecords, firstSendId: number): Promise<WorkloadSummary> {
    const { scenario, cluster } = this.options;
    const acks = scenario.workload.acks ?? -1;
    try {
      return await runWorkload({
        cluster,
        topic: this.inputTopic,
        events: this.trackingHighWater(asSent(main.records, this.encoding)),
        rate: main.pacing ?? scenario.workload.rate,
        durationMs: scenario.sendingMs,
        history: this.sendsHistory,
        firstSendId,
        // acks 1 or 0 (a scenario showing what they lose) needs the plain producer.
        acks,
        idempotent: acks === -1,
        onProgress: (p) => (this.rate = p.rate),
      });
    } finally {
      this.rate = undefined;
    }
  }

  /** The records as sent, each raising the event-time high-water mark (one iterator, however often it is asked for). */
  private trackingHighWater(records: Iterable<GeneratedRecord>): Iterable<GeneratedRecord> {
    const sending = records[Symbol.iterator]();
    const next = () => {
      const n = sending.next();
      if (!n.done && n.value.truth.kind !== 'poison') this.highWater = Math.max(this.highWater, n.value.eventTimeMs);
      return n;
    };
    return { [Symbol.iterator]: () => ({ next }) };
  }

  /** Drains every view, stops the watchers and the SUTs, scans their topics and sinks, runs the scenario's drill. */
  async collect(): Promise<void> {
    const { runDir, drainTimeoutMs } = this.options;
    const { admin, views, groups, kafka } = this.plan;
    await drainViews(views, { admin, inputTopics: this.plan.inputTopics, accounting: this.accounting, timeoutMs: drainTimeoutMs ?? 60_000, note: this.note });
    const liveBehind = await catchUpLive(views.map((v) => v.live));
    if (liveBehind) this.note(liveBehind);
    for (const view of views) if (view.live) await view.history.setMeta(LIVE_CONSUMER_META_KEY, { joins: view.live.joins, crashes: view.live.crashes });
    this.stopSampler?.();
    if (this.hostCpu) {
      this.hostCpu.stop();
      for (const view of views) await view.history.setMeta(HOST_CPU_META_KEY, this.hostCpu.summary());
    }
    await this.stopErrorCounters();
    for (const view of views) {
      view.lag.stop();
      await view.live?.disconnect();
      view.live = undefined;
    }
    await Promise.all(groups.map((g) => g.stopAll()));
    await scanViews(views, { kafka, marker: this.rebuild, sinkDirOf: (view) => sideSinkDir(view.sut, runDir, view.sides[0]!.label), message: this.message, note: this.note });
    await this.replayDrill();
    if (this.notes.length > 0) for (const view of views) await view.history.setMeta(RUN_NOTES_META_KEY, this.notes);
  }

  private async replayDrill(): Promise<void> {
    if (this.scenario.drill !== 'replay-from-bronze') return;
    if (this.plan.sides.length !== 1) return void this.message('the replay-from-bronze drill runs only with one SUT: skipped');
    const { kafka, admin, runId, sides } = this.plan;
    await runReplayDrill({ kafka, admin, cluster: this.options.cluster, described: sides[0]!.described, sut: this.primary.sut, runId, runDir: this.options.runDir, history: this.primary.history, onProgress: this.message })
      .catch((error: unknown) => this.note(`replay drill: ${(error as Error).message}`));
  }

  private stopErrorCounters(): Promise<unknown> {
    return Promise.all(this.errorCounters.splice(0).map((c) => c.stop()));
  }

  /** Stops whatever is still running and closes the histories; safe after any step, and to repeat. */
  async close(): Promise<void> {
    this.abort.abort();
    this.stopSampler?.();
    this.hostCpu?.stop();
    await this.stopErrorCounters().catch(() => undefined);
    for (const view of this.plan.views) {
      view.lag.stop();
      await view.live?.disconnect().catch(() => undefined);
    }
    await this.injector.healAll().catch(() => undefined);
    await Promise.all(this.plan.groups.map((g) => g.stopAll().catch(() => undefined)));
    await this.plan.admin.disconnect().catch(() => undefined);
    for (const view of this.plan.views) await view.history.close().catch((error: unknown) => (view === this.primary ? Promise.reject(error) : undefined));
  }

  /** After `close`: the run-wide rows copied into every other history, registry values decoded, each history judged. */
  async judge(): Promise<RunView[]> {
    const { views, replay } = this.plan;
    for (const view of views) if (view !== this.primary) await copyRunWideRows(this.primary.historyPath, view.historyPath);
    if (this.options.registry) await decodeWireValues(this.options.registry, views.map((v) => v.historyPath), this.message);
    return judgeViews(views, { scenario: this.scenario, seed: this.options.seed, replay, notes: this.notes, message: this.message });
  }
}
