/**
 * `runScenario`: one scenario against one SUT on a started cluster (`runSides`: against several
 * SUTs on the same input, for `streamproof compare`). Starts the SUT on per-run
 * topics, records phases, drives the workload and the fault time line, watches the outputs
 * live, drains, scans every SUT topic, then judges the history (checkers + SLAs).
 * The run dir holds scenario.json, seed, history.duckdb, verdict.json, replay.txt and SUT logs.
 */
import { mkdir } from 'node:fs/promises';
import type { Admin, Kafka } from 'kafkajs';
import { join, relative } from 'node:path';
import type { GeneratedRecord } from '../../generators/record.ts';
import { LAB_SETTLE_META_KEY, settleLab } from '../cluster/lab-settle.ts';
import { sourceLayerOf, type StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { armClocks } from '../clock/arm-clocks.ts';
import { checkFaultsAvailable } from '../faults/fault-registry.ts';
import { recordControllerElections } from './election-record.ts';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import { runSinkDir, type SutConfig } from '../sut/sut-config.ts';
import { SutGroup } from '../sut/sut-group.ts';
import { runWorkload, type WorkloadSummary } from '../workload/index.ts';
import { faultTimeline, type Scenario } from '../../scenarios/index.ts';
import { FaultDriver } from './fault-driver.ts';
import { eventTimeOrigin } from './event-time-origin.ts';
import { HOST_CPU_META_KEY, HostCpuSampler } from './host-cpu.ts';
import { copyRunWideRows } from './history-copy.ts';
import { runReplayDrill } from './replay-drill.ts';
import { RUN_NOTES_META_KEY } from './judge-history.ts';
import type { RunResult } from './run-result.ts';
import { recordRunMeta, writeRunFiles } from './run-meta.ts';
import { loseState, RebuildMarker } from '../drill/state-loss.ts';
import { catchUpLive, LIVE_CONSUMER_META_KEY, LiveConsumer } from './live-consumer.ts';
import { drainViews, judgeViews, openViews, scanViews } from './run-views.ts';
import { SidesFaultTarget, watchSides } from './run-sides.ts';
import { AccountingTracker, tap } from './group-progress.ts';
import { OutputSignal } from './output-signal.ts';
import { FIRST_OUTPUT_META_KEY, PRIMING_RATE, primeUntilFirstOutput } from './first-output.ts';
import { workloadRecords } from './workload-records.ts';
import { makeRunId, prefixSut, translateFaultAttrs } from './run-topics.ts';
import { checkScenarioTopics, resolveFaultTopics } from './topic-refs.ts';
import { asSent, decodeWireValues, prepareEncoding, recordEncoding, type RunEncoding } from './run-encoding.ts';
import type { LabRegistry } from '../registry/lab-registry.ts';

export interface RunProgress {
  scenario: string;
  phase: string;
  elapsedMs: number;
  runMs: number;
  /** Sends per second over the last second. */
  rate: number | undefined;
  lag: number | undefined;
  activeFaults: string[];
  /** A one-off message (setup, drain, scan) instead of a periodic sample. */
  message?: string;
}

export interface RunScenarioOptions {
  scenario: Scenario;
  /** The SUT as described (topic names unprefixed). */
  sut: SutConfig;
  cluster: StartedCluster;
  seed: number;
  runDir: string;
  onProgress?: (progress: RunProgress) => void;
  /** Extra replay arguments (`--sut file`, `--bug x`) for replay.txt. */
  replayArgs?: string[];
  /** The command that replays the run, up to its `--seed` (default `streamproof run <scenario>`). */
  replayCommandBase?: string[];
  /** Bound of the post-run drain wait. Default 60 s. */
  drainTimeoutMs?: number;
  /**
   * How much faster event time runs than wall time (default 5): the generator stamps events
   * at rate / speedup per second of event time, so a 60 s scenario spans 5 minutes of event
   * time and the SUT's 60 s windows close (at 1x none would, and `windows` could only say unknown).
   */
  eventTimeSpeedup?: number;
  /** Event time of the main workload's record 0 (epoch ms); default `eventTimeOrigin(now, seed)`. A replay passes the recorded one. */
  eventTimeOriginMs?: number;
  /** The lab's schema registry (scenarios with `workload.encoding`; SUTs get its URL). */
  registry?: LabRegistry;
}

/** Events per second of event time for the main workload (see `eventTimeSpeedup`). */
export function eventTimeRate(scenario: Scenario, speedup = 5): number {
  const { rate } = scenario.workload;
  const peak = rate.kind === 'constant' ? rate.rate : Math.max(...rate.stages.map((s) => s.target));
  return Math.max(peak / speedup, 0.001);
}

/** Events the main workload sends: the integral of the rate over the sending time. */
export function expectedSendCount(scenario: Scenario): number {
  const { rate } = scenario.workload;
  if (rate.kind === 'constant') return Math.max(1, Math.ceil((rate.rate * scenario.sendingMs) / 1000));
  let total = 0;
  let previous = 0;
  for (const stage of rate.stages) {
    total += ((previous + stage.target) / 2) * (stage.durationMs / 1000);
    previous = stage.target;
  }
  return Math.max(1, Math.ceil(total));
}

export function replayCommand(scenario: Scenario, seed: number, extra: string[] = [], base?: string[]): string {
  if (base) return [...base, '--seed', String(seed), ...extra].join(' ');
  const rel = relative(process.cwd(), scenario.source);
  const source = scenario.source.startsWith("scenario '") ? scenario.name : rel === '' || rel.startsWith('..') ? scenario.source : rel;
  return ['streamproof', 'run', source, '--seed', String(seed), ...extra].join(' ');
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One SUT of a run. A plain run has one; `streamproof compare` starts several on the same
 * input: shadow mode gives each its own consumer group and output topics, canary mode puts
 * them in one consumer group writing the same topics.
 */
export interface RunSide {
  /** Names the SUT in the run (`baseline`, `candidate`); '' for a plain run. */
  label: string;
  /** As described (topic names unprefixed). */
  described: SutConfig;
  /** Prefix of its output, DLQ, late and bronze topics; the input always takes the run's prefix. */
  outputPrefix: string;
  groupId: string;
  instances: number;
  /** The scenario's SUT faults (crash, pause, restart, scale) hit this SUT. */
  sutFaults: boolean;
}

/** One history of a multi-SUT run: the sides whose topics it watches (sides sharing a group share one). */
export interface RunView {
  dir: string;
  sides: string[];
  result: RunResult;
}

/** What a run's extra samplers get while the load runs (e.g. the canary's group assignment). */
export interface RunContext {
  kafka: Kafka;
  admin: Admin;
  /** History of each view, by the group id it watches. */
  historyOf(groupId: string): HistoryWriter;
  inputTopic: string;
}

export interface RunSidesOptions extends Omit<RunScenarioOptions, 'sut'> {
  /** Builds the sides from the run's id and topic prefix. */
  sides: (runId: string, prefix: string) => RunSide[];
  /** Directory of the history of the sides sharing `groupId`. */
  viewDir: (groupId: string, sides: RunSide[]) => string;
  /** Started when the load starts; the returned function stops it (before the final scan). */
  sampler?: (context: RunContext) => () => void;
}

/** A side's SUT with the run's topic names: the shared input topic, its own other topics. */
export function sideSut(side: RunSide, runPrefix: string, overrides: { partitions?: number }): SutConfig {
  const own = prefixSut(side.described, side.outputPrefix, { instances: side.instances, partitions: overrides.partitions });
  const shared = prefixSut(side.described, runPrefix, { partitions: overrides.partitions });
  return { ...own, topics: { ...own.topics, input: shared.topics.input } };
}

/** STREAMPROOF_SINK_DIR of one side of a run (runSinkDir: none without sinks). */
function sideSinkDir(sut: SutConfig, runDir: string, label: string): string | undefined {
  return runSinkDir(sut, join(runDir, `sink${label ? `-${label}` : ''}`));
}

export async function runScenario(options: RunScenarioOptions): Promise<RunResult> {
  const described = options.sut;
  const [view] = await runSides({
    ...options,
    sides: (runId, prefix) => [
      { label: '', described, outputPrefix: prefix, groupId: `${described.name}-${runId}`, instances: options.scenario.sut.instances ?? described.instances, sutFaults: true },
    ],
    viewDir: () => options.runDir,
  });
  return view!.result;
}

/**
 * Runs one scenario against one or more SUTs on the same input, the same load and the same
 * fault schedule. Each consumer group gets a history (the first one holds the run-wide rows,
 * copied into the others at the end) judged by the checkers and SLAs on its own.
 */
export async function runSides(options: RunSidesOptions): Promise<RunView[]> {
  const { scenario, cluster, seed, runDir } = options;
  const report = options.onProgress ?? (() => undefined);
  await mkdir(runDir, { recursive: true });
  const runId = makeRunId(scenario.name, seed);
  const prefix = `${runId}.`;
  if (scenario.sites) throw new HarnessError('USAGE', `scenario '${scenario.name}' is a failover drill: it needs a DR lab (streamproof run or drill start one)`);
  const sides = options.sides(runId, prefix);
  if (sides.length === 0) throw new HarnessError('CONFIG_INVALID', 'a run needs at least one SUT');
  const partitionsOverride = { partitions: scenario.sut.partitions };
  // Fault attributes name topics by role ('$input'); a name that is not the SUT's fails here, not mid-run.
  const timeline = faultTimeline(scenario, seed);
  checkScenarioTopics(scenario, sides[0]!.described, timeline);
  await checkFaultsAvailable(cluster, timeline.map((fault) => fault.type), scenario.source);
  const eventTimeOriginMs = options.eventTimeOriginMs ?? eventTimeOrigin(Date.now(), seed);
  const replay = replayCommand(scenario, seed, [...(options.replayArgs ?? []), '--event-time-origin', String(eventTimeOriginMs)], options.replayCommandBase);
  const rng = new Random(seed);
  const notes: string[] = [];
  const note = (text: string) => notes.push(text);
  const message = (text: string) => report({ scenario: scenario.name, phase: '-', elapsedMs: 0, runMs: scenario.runDurationMs, rate: undefined, lag: undefined, activeFaults: [], message: text });

  await writeRunFiles(runDir, scenario, seed, replay);

  const kafka = createKafka(cluster.clientSettings(`streamproof-run-${runId}`));
  const admin = kafka.admin();
  const groups = sides.map((side) => {
    const sut = sideSut(side, prefix, partitionsOverride);
    return new SutGroup({
      config: sut,
      run: { runId, bootstrapServers: cluster.bootstrapServers(), topics: sut.topics, groupId: side.groupId, sinkDir: sideSinkDir(sut, runDir, side.label), schemaRegistryUrl: options.registry?.url },
      clientSettings: cluster.clientSettings(`streamproof-sut-${runId}`),
      runDir,
      replicationFactor: Math.min(3, cluster.brokers().length),
      // Instance N leaves from the lab's address for instance N (what `net.partition` cuts).
      sourceLayer: (instance) => sourceLayerOf(cluster, (a) => a.sutInstance(instance)),
      topicConfig: scenario.sut.topicConfig,
    });
  });
  const inputTopic = groups[0]!.config.topics.input[0]!.name;
  const inputTopics = groups[0]!.config.topics.input.map((t) => t.name);

  /** Our own lab must be quiet before the load starts (a user's cluster is theirs: no probe topic there). */
  const settle = async () => {
    const lab = await settleLab(kafka, { brokers: cluster.brokers().length });
    for (const view of views) await view.history.setMeta(LAB_SETTLE_META_KEY, lab);
    const seen = `probe transactions ${lab.probeMs.join('/')} ms (bound ${lab.boundMs}), ${lab.underReplicated} of ${lab.partitions} partitions under-replicated`;
    if (lab.settled) message(`lab settled in ${(lab.waitedMs / 1000).toFixed(1)} s: ${seen}`);
    else note(`the lab had not settled after ${Math.round(lab.waitedMs / 1000)} s when the run started: ${seen}`);
  };
  const views = await openViews({ sides, viewDir: options.viewDir, sutOf: (side) => sideSut(side, prefix, partitionsOverride), kafka, admin, inputTopics });
  const primary = views[0]!;
  // What a `sut.state-loss` rebuild writes is told apart from what came before (harness/drill/state-loss.ts).
  const rebuild = new RebuildMarker();
  const abort = new AbortController();
  const faultGroups = groups.filter((_, i) => sides[i]!.sutFaults);
  const sutFaultTarget = faultGroups.length === 1 ? faultGroups[0]! : new SidesFaultTarget(faultGroups);
  const injector = new FaultInjector(cluster, rng.fork('faults'), sutFaultTarget);
  let stopSampler: (() => void) | undefined;
  let hostCpu: HostCpuSampler | undefined;
  let errorCounters: { stop(): Promise<void> }[] = [];
  let encoding: RunEncoding | undefined;
  const stopErrorCounters = () => Promise.all(errorCounters.splice(0).map((c) => c.stop()));

  try {
    for (const view of views) {
      if (view !== primary) await writeRunFiles(view.dir, scenario, seed, replay);
      const { history, sut } = view;
      await recordRunMeta(history, { scenario, seed, runId, replay, cluster, sut, workload: { eventTimeSpeedup: options.eventTimeSpeedup ?? 5, eventsPerSecond: eventTimeRate(scenario, options.eventTimeSpeedup), eventTimeOriginMs } });
      if (view.sides.length > 1 || view.sides[0]!.label !== '') {
        await history.setMeta('sides', view.sides.map((s) => ({ label: s.label, name: s.described.name, groupId: s.groupId, instances: s.instances })));
      }
    }

    encoding = await prepareEncoding(scenario, inputTopic, options.registry, rng.fork('encoding').seed);
    if (encoding) {
      message(`schemas registered under ${encoding.subject}: ${encoding.schemas.map((s) => `v${s.version} id ${s.id}`).join(', ')}`);
      for (const view of views) await recordEncoding(view.history, encoding, options.registry!);
    }
    await admin.connect();
    await armClocks(timeline, { suts: faultGroups, cluster, onProgress: message });
    if (cluster.provider !== 'external') await settle().catch((error: unknown) => note(`the lab settle check failed: ${(error as Error).message}`));
    const start = (i: number) => {
      const group = groups[i]!;
      const side = sides[i]!;
      const topics = side.outputPrefix === prefix ? `${prefix}*` : `${prefix}${group.config.topics.input[0]!.name.slice(prefix.length)} -> ${side.outputPrefix}*`;
      message(`starting SUT '${group.config.name}'${side.label ? ` (${side.label})` : ''} (${group.config.instances} instance(s)) on topics ${topics}`);
      return group.start();
    };
    // One after the other: SUTs share the input topic, and concurrent topic creation on the lab fails
    // ("This server does not host this topic-partition", seen with three SUTs starting at once).
    for (let i = 0; i < groups.length; i++) await start(i);
    // Each view accounts acked inputs against its outputs (the drain of a SUT that commits no offsets).
    const accounting = new Map(views.map((v) => [v, new AccountingTracker(v.sut)]));
    let outputSeen = false;
    const nextRecord = new OutputSignal();
    for (const view of views) {
      const watched = tap(accounting.get(view)!.tapObserved(rebuild.wrap(view.history)), 'recordObserved', (row) => {
        outputSeen = true;
        if ((row as { role: string }).role === 'records-live') nextRecord.notify();
      });
      view.live = await LiveConsumer.start(kafka, view.sut.topics.outputs, `streamproof-live-${view.groupId}`, watched);
    }
    // Every send, priming included, is also accounted for by each view (quiescence drain).
    const sendsHistory = views.reduce((h, v) => accounting.get(v)!.tapSends(h), primary.history);

    // The main workload's events; the high-water mark of event time feeds late bursts.
    let highWater = 0;
    const partitions = groups[0]!.config.topics.input[0]!.partitions;
    const { records: generated, pacing } = workloadRecords(scenario.workload, { seed: rng.fork('workload').seed, count: expectedSendCount(scenario), partitions, startTimeMs: eventTimeOriginMs, eventsPerSecond: eventTimeRate(scenario, options.eventTimeSpeedup) });
    const sending = asSent(generated, encoding)[Symbol.iterator]();
    const events: Iterable<GeneratedRecord> = {
      [Symbol.iterator]: () => ({
        next: () => {
          const n = sending.next();
          if (!n.done && n.value.truth.kind !== 'poison') highWater = Math.max(highWater, n.value.eventTimeMs);
          return n;
        },
      }),
    };

    // The phases start once the SUT has produced its first output (bounded; first-output.ts).
    const boundMs = Math.max(...groups.map((g) => g.config.firstOutputTimeoutMs));
    message(`priming at ${PRIMING_RATE}/s until the first output (at most ${Math.round(boundMs / 1000)} s)`);
    const wait = await primeUntilFirstOutput({ cluster, topic: inputTopic, history: sendsHistory, seed: rng.fork('priming').seed, workload: scenario.workload, partitions, eventTimeOriginMs, boundMs, outputSeen: () => outputSeen, encoding });
    for (const view of views) await view.history.setMeta(FIRST_OUTPUT_META_KEY, wait);
    message(wait.seen ? `first output after ${(wait.waitedMs / 1000).toFixed(1)} s (${wait.primed} priming events)` : `no output within ${Math.round(boundMs / 1000)} s of priming; the phases start anyway`);

    const t0 = performance.now();
    const runStartUs = nowUs();
    const elapsed = () => performance.now() - t0;
    let phase = '-';
    let rate: number | undefined;
    const driver = new FaultDriver({
      scenario,
      timeline,
      injector,
      sut: sutFaultTarget,
      cluster,
      history: primary.history,
      rng: rng.fork('sut-faults'),
      inputTopic,
      partitions,
      encoding,
      elapsed,
      eventTimeHighWater: () => highWater,
      eventTimeOriginMs,
      translate: (attrs) => translateFaultAttrs(resolveFaultTopics(attrs, sides[0]!.described), sides[0]!.described, prefix),
      signal: abort.signal,
      onNote: note,
      nextRecord: (timeoutMs, signal) => nextRecord.next(timeoutMs, signal),
      loseState: sides.length === 1
        ? () => loseState({ admin, group: groups[0]!, sut: primary.sut, groupId: sides[0]!.groupId, runId, sinkDir: sideSinkDir(primary.sut, runDir, ''), history: primary.history, marker: rebuild, onProgress: message })
        : undefined,
    });
    const totalLag = () => (views.every((v) => v.lag.last !== undefined) ? views.reduce((sum, v) => sum + v.lag.last!, 0) : undefined);
    for (const view of views) {
      view.lag.start(1000, view === primary ? () => report({ scenario: scenario.name, phase, elapsedMs: elapsed(), runMs: scenario.runDurationMs, rate, lag: totalLag(), activeFaults: driver.activeFaults() }) : undefined);
    }
    hostCpu = new HostCpuSampler(primary.history, () => phase);
    hostCpu.start();
    const byGroup = new Map(views.map((v) => [v.groupId, v.history]));
    errorCounters = await watchSides(groups.map((group, i) => ({ group, label: sides[i]!.label, history: byGroup.get(sides[i]!.groupId)! })));
    stopSampler = options.sampler?.({
      kafka,
      admin,
      inputTopic,
      historyOf: (groupId) => {
        const history = byGroup.get(groupId);
        if (!history) throw new HarnessError('INTERNAL', `no history watches group ${groupId}`);
        return history;
      },
    });

    const phases = (async () => {
      for (const p of scenario.phases) {
        while (elapsed() < p.startMs) await sleep(Math.min(50, p.startMs - elapsed()));
        phase = p.name;
        await primary.history.recordPhase({ name: p.name, startUs: nowUs() });
        while (elapsed() < p.endMs) await sleep(Math.min(50, p.endMs - elapsed()));
        await primary.history.recordPhaseEnd(p.name, nowUs());
      }
      phase = 'done';
    })();
    const workload: Promise<WorkloadSummary> = runWorkload({
      cluster,
      topic: inputTopic,
      events,
      rate: pacing ?? scenario.workload.rate,
      durationMs: scenario.sendingMs,
      history: sendsHistory,
      firstSendId: wait.primed,
      // acks 1 or 0 (a scenario showing what they lose) needs the plain producer.
      acks: scenario.workload.acks ?? -1,
      idempotent: (scenario.workload.acks ?? -1) === -1,
      onProgress: (p) => (rate = p.rate),
    }).finally(() => (rate = undefined));
    const faults = driver.run();
    const [phasesDone, sent, faultsDone] = await Promise.allSettled([phases, workload, faults]);
    if (phasesDone.status === 'rejected') throw phasesDone.reason;
    if (sent.status === 'rejected') throw sent.reason;
    if (faultsDone.status === 'rejected') note(`fault time line: ${(faultsDone.reason as Error).message}`);
    await injector.healAll().catch((error: unknown) => note(`healing left-over faults: ${(error as Error).message}`));
    await driver.settled();
    // Elections are what the lab did, not a problem of the run: a progress line, the history and `quorum` hold them.
    const elections = await recordControllerElections(cluster, primary.history, runStartUs);
    if (elections) message(elections);
    message(`sent ${sent.value.sent} (${sent.value.ok} ok, ${sent.value.fail} fail, ${sent.value.info} info); waiting for the SUT${groups.length > 1 ? 's' : ''} to drain`);

    await drainViews(views, { admin, inputTopics, accounting, timeoutMs: options.drainTimeoutMs ?? 60_000, note });
    const liveBehind = await catchUpLive(views.map((v) => v.live));
    if (liveBehind) note(liveBehind);
    for (const view of views) if (view.live) await view.history.setMeta(LIVE_CONSUMER_META_KEY, { joins: view.live.joins, crashes: view.live.crashes });
    stopSampler?.();
    hostCpu.stop();
    for (const view of views) await view.history.setMeta(HOST_CPU_META_KEY, hostCpu.summary());
    await stopErrorCounters();
    for (const view of views) {
      view.lag.stop();
      await view.live?.disconnect();
      view.live = undefined;
    }
    await Promise.all(groups.map((g) => g.stopAll()));
    await scanViews(views, { kafka, marker: rebuild, sinkDirOf: (view) => sideSinkDir(view.sut, runDir, view.sides[0]!.label), message, note });
    if (scenario.drill === 'replay-from-bronze') {
      if (sides.length === 1) {
        await runReplayDrill({ kafka, admin, cluster, described: sides[0]!.described, sut: primary.sut, runId, runDir, history: primary.history, onProgress: message }).catch((error: unknown) => note(`replay drill: ${(error as Error).message}`));
      } else {
        message('the replay-from-bronze drill runs only with one SUT: skipped');
      }
    }
    if (notes.length > 0) for (const view of views) await view.history.setMeta(RUN_NOTES_META_KEY, notes);
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    abort.abort();
    stopSampler?.();
    hostCpu?.stop();
    await stopErrorCounters().catch(() => undefined);
    for (const view of views) {
      view.lag.stop();
      await view.live?.disconnect().catch(() => undefined);
    }
    await injector.healAll().catch(() => undefined);
    await Promise.all(groups.map((g) => g.stopAll().catch(() => undefined)));
    await admin.disconnect().catch(() => undefined);
    for (const view of views) await view.history.close().catch((error: unknown) => (view === primary ? Promise.reject(error) : undefined));
  }
  for (const view of views) if (view !== primary) await copyRunWideRows(primary.historyPath, view.historyPath);
  if (options.registry) await decodeWireValues(options.registry, views.map((v) => v.historyPath), message);

  return judgeViews(views, { scenario, seed, replay, notes, message });
}
