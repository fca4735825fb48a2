/**
 * `runScenario`: one scenario against one SUT on a started cluster. Starts the SUT on per-run
 * topics, records phases, drives the workload and the fault time line, watches the outputs
 * live, drains, scans every SUT topic, then judges the history (checkers + SLAs).
 * The run dir holds scenario.json, seed, history.duckdb, verdict.json, replay.txt and SUT logs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generateEvents } from '../../generators/generate-events.ts';
import type { GeneratedRecord } from '../../generators/record.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { CHECKER_PARAMS_META_KEY, parseCheckerParams, type CheckerParams } from '../checkers/index.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { nowUs } from '../history/clock.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import { SutGroup } from '../sut/sut-group.ts';
import { runWorkload, type WorkloadSummary } from '../workload/index.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { faultTimeline, type Scenario } from '../../scenarios/index.ts';
import { FaultDriver } from './fault-driver.ts';
import { runReplayDrill } from './replay-drill.ts';
import { judgeHistory, RUN_NOTES_META_KEY } from './judge-history.ts';
import type { RunResult } from './run-result.ts';
import { finalScan, LagSampler, startLiveConsumer, waitForLagZero } from './run-observer.ts';
import { makeRunId, prefixSut, translateFaultAttrs } from './run-topics.ts';

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
  /** The SUT as described (topic names unprefixed); default the reference pipeline. */
  sut?: SutConfig;
  cluster: StartedCluster;
  seed: number;
  runDir: string;
  onProgress?: (progress: RunProgress) => void;
  /** Extra replay arguments (`--sut file`, `--bug x`) for replay.txt. */
  replayArgs?: string[];
  /** Bound of the post-run drain wait. Default 60 s. */
  drainTimeoutMs?: number;
  /**
   * How much faster event time runs than wall time (default 5): the generator stamps events
   * at rate / speedup per second of event time, so a 60 s scenario spans 5 minutes of event
   * time and the SUT's 60 s windows close (at 1x none would, and `windows` could only say unknown).
   */
  eventTimeSpeedup?: number;
}

/** Events per second of event time for the main workload (see `eventTimeSpeedup`). */
export function eventTimeRate(scenario: Scenario, speedup = 5): number {
  const { rate } = scenario.workload;
  const peak = rate.kind === 'constant' ? rate.rate : Math.max(...rate.stages.map((s) => s.target));
  return Math.max(peak / speedup, 0.001);
}

const VERSION = '0.1.0';

/** Checker parameters for this SUT: its promises, plus the reference pipeline's window settings. */
export function checkerParamsFor(sut: SutConfig): CheckerParams {
  const params: CheckerParams = { perKeyOrder: sut.promises.perKeyOrder, exactlyOnce: sut.promises.exactlyOnce };
  if (sut.name === 'reference' || sut.name.startsWith('reference-')) {
    const env = sut.env ?? {};
    params.windowSizeMs = Number(env.PIPELINE_WINDOW_MS ?? 60_000);
    params.allowedOutOfOrdernessMs = Number(env.PIPELINE_OUT_OF_ORDERNESS_MS ?? 30_000);
    params.idleTimeoutMs = Number(env.PIPELINE_IDLE_TIMEOUT_MS ?? 10_000);
  }
  return parseCheckerParams(params);
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

export function replayCommand(scenario: Scenario, seed: number, extra: string[] = []): string {
  const rel = relative(process.cwd(), scenario.source);
  const source = scenario.source.startsWith("scenario '") ? scenario.name : rel === '' || rel.startsWith('..') ? scenario.source : rel;
  return ['streamproof', 'run', source, '--seed', String(seed), ...extra].join(' ');
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runScenario(options: RunScenarioOptions): Promise<RunResult> {
  const { scenario, cluster, seed, runDir } = options;
  const report = options.onProgress ?? (() => undefined);
  await mkdir(runDir, { recursive: true });
  const runId = makeRunId(scenario.name, seed);
  const prefix = `${runId}.`;
  const described = options.sut ?? referenceSut();
  const sut = prefixSut(described, prefix, scenario.sut);
  const inputTopic = sut.topics.input[0]!.name;
  const groupId = `${sut.name}-${runId}`;
  const replay = replayCommand(scenario, seed, options.replayArgs);
  const rng = new Random(seed);
  const notes: string[] = [];
  const note = (text: string) => notes.push(text);
  const message = (text: string) => report({ scenario: scenario.name, phase: '-', elapsedMs: 0, runMs: scenario.runDurationMs, rate: undefined, lag: undefined, activeFaults: [], message: text });

  await writeFile(join(runDir, 'scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`);
  await writeFile(join(runDir, 'seed'), `${seed}\n`);
  await writeFile(join(runDir, 'replay.txt'), `${replay}\n`);

  const historyPath = join(runDir, 'history.duckdb');
  const history = await HistoryWriter.open(historyPath);
  const kafka = createKafka(cluster.clientSettings(`streamproof-run-${runId}`));
  const admin = kafka.admin();
  const group = new SutGroup({
    config: sut,
    run: { runId, bootstrapServers: cluster.bootstrapServers(), topics: sut.topics, groupId, sinkDir: sut.sink?.dir },
    clientSettings: cluster.clientSettings(`streamproof-sut-${runId}`),
    runDir,
    replicationFactor: Math.min(3, cluster.brokers().length),
  });
  const lag = new LagSampler(kafka, admin, groupId, sut.topics.input.map((t) => t.name), history);
  const abort = new AbortController();
  const injector = new FaultInjector(cluster, rng.fork('faults'));
  let live: Awaited<ReturnType<typeof startLiveConsumer>> | undefined;

  try {
    await history.setMeta('scenario', JSON.parse(JSON.stringify(scenario)));
    await history.setMeta('seed', seed);
    await history.setMeta('run.id', runId);
    await history.setMeta('replay', replay);
    await history.setMeta('versions', { streamproof: VERSION, node: process.version, kafka: cluster.kafkaVersion, provider: cluster.provider });
    await history.setMeta('sut', { name: sut.name, instances: sut.instances, topics: sut.topics, promises: sut.promises });
    await history.setMeta(CHECKER_PARAMS_META_KEY, checkerParamsFor(sut));
    await history.setMeta('workload', { eventTimeSpeedup: options.eventTimeSpeedup ?? 5, eventsPerSecond: eventTimeRate(scenario, options.eventTimeSpeedup) });

    message(`starting SUT '${sut.name}' (${sut.instances} instance(s)) on topics ${prefix}*`);
    await admin.connect();
    await group.start();
    live = await startLiveConsumer(kafka, sut, `streamproof-live-${runId}`, history);

    // The main workload's events; the high-water mark of event time feeds late bursts.
    let highWater = 0;
    const partitions = sut.topics.input[0]!.partitions;
    const generated = generateEvents({ domain: scenario.workload.domain, seed: rng.fork('workload').seed, count: expectedSendCount(scenario), partitions, eventsPerSecond: eventTimeRate(scenario, options.eventTimeSpeedup), ...scenario.workload.knobs });
    const events: Iterable<GeneratedRecord> = {
      [Symbol.iterator]: () => ({
        next: () => {
          const n = generated.next();
          if (!n.done && n.value.truth.kind !== 'poison') highWater = Math.max(highWater, n.value.eventTimeMs);
          return n;
        },
      }),
    };

    const t0 = performance.now();
    const elapsed = () => performance.now() - t0;
    let phase = '-';
    let rate: number | undefined;
    const driver = new FaultDriver({
      scenario,
      timeline: faultTimeline(scenario, seed),
      injector,
      sut: group,
      cluster,
      history,
      rng: rng.fork('sut-faults'),
      inputTopic,
      partitions,
      elapsed,
      eventTimeHighWater: () => highWater,
      translate: (attrs) => translateFaultAttrs(attrs, described, prefix),
      signal: abort.signal,
      onNote: note,
    });
    lag.start(1000, (l) => report({ scenario: scenario.name, phase, elapsedMs: elapsed(), runMs: scenario.runDurationMs, rate, lag: l, activeFaults: driver.activeFaults() }));

    const phases = (async () => {
      for (const p of scenario.phases) {
        while (elapsed() < p.startMs) await sleep(Math.min(50, p.startMs - elapsed()));
        phase = p.name;
        await history.recordPhase({ name: p.name, startUs: nowUs() });
        while (elapsed() < p.endMs) await sleep(Math.min(50, p.endMs - elapsed()));
        await history.recordPhaseEnd(p.name, nowUs());
      }
      phase = 'done';
    })();
    const workload: Promise<WorkloadSummary> = runWorkload({
      cluster,
      topic: inputTopic,
      events,
      rate: scenario.workload.rate,
      durationMs: scenario.sendingMs,
      history,
      onProgress: (p) => (rate = p.rate),
    }).finally(() => (rate = undefined));
    const faults = driver.run();
    const [phasesDone, sent, faultsDone] = await Promise.allSettled([phases, workload, faults]);
    if (phasesDone.status === 'rejected') throw phasesDone.reason;
    if (sent.status === 'rejected') throw sent.reason;
    if (faultsDone.status === 'rejected') note(`fault time line: ${(faultsDone.reason as Error).message}`);
    await injector.healAll().catch((error: unknown) => note(`healing left-over faults: ${(error as Error).message}`));
    await driver.settled();
    message(`sent ${sent.value.sent} (${sent.value.ok} ok, ${sent.value.fail} fail, ${sent.value.info} info); waiting for the SUT to drain`);

    const drainMs = await waitForLagZero(kafka, admin, groupId, sut.topics.input.map((t) => t.name), options.drainTimeoutMs ?? 60_000);
    if (drainMs === null) note(`the SUT did not drain (lag 0) within ${(options.drainTimeoutMs ?? 60_000) / 1000}s after the run`);
    await sleep(2000); // the live consumer sees the last committed outputs
    lag.stop();
    await live.disconnect();
    live = undefined;
    await group.stopAll();
    message('final scan of the SUT topics');
    await finalScan(kafka, sut, history, message);
    if (scenario.drill === 'replay-from-bronze') {
      await runReplayDrill({ kafka, admin, cluster, described, sut, runId, runDir, history, onProgress: message }).catch((error: unknown) => note(`replay drill: ${(error as Error).message}`));
    }
    if (notes.length > 0) await history.setMeta(RUN_NOTES_META_KEY, notes);
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    abort.abort();
    lag.stop();
    await live?.disconnect().catch(() => undefined);
    await injector.healAll().catch(() => undefined);
    await group.stopAll().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await history.close();
  }

  message('checking the history');
  const reader = await HistoryReader.open(historyPath);
  let result: RunResult;
  try {
    const judged = await judgeHistory(reader, scenario);
    result = { scenario: scenario.name, verdict: judged.verdict, checks: judged.checks, slas: judged.slas, metrics: judged.metrics, seed, replay, runDir, notes };
  } finally {
    await reader.close();
  }
  await writeFile(join(runDir, 'verdict.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
