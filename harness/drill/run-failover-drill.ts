/**
 * `runFailoverDrill`: a scenario with `sites` (a failover drill) against one SUT on two labs.
 * The SUT starts on the primary; MirrorMaker 2 (identity topic names, through the replication
 * links) copies the run's input and the SUT's own topics (changelogs: every topic named after
 * the run that is not a declared output) to the DR site and syncs the SUT's group offsets. Load
 * runs; at `site.fail` the primary is lost with the SUT on it; at `site.failover` the runbook
 * stops MM2, sets the group on the DR site, moves the producers and starts the SUT there, which
 * writes its outputs under the same names. After the drain the primary is brought back only to
 * be read: both sites are scanned into one history (DR rows offset by DR_OFFSET_BASE) and judged
 * by the scenario's checkers plus the failover check (RPO, RTO, loss and duplicates across the switch).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { faultTimeline } from '../../scenarios/index.ts';
import type { DrillFaultAttributes } from '../../scenarios/model/fault-kinds.ts';
import { replicationBootstrap } from '../cluster/cluster-layout.ts';
import { settleLab } from '../cluster/lab-settle.ts';
import { sourceLayerOf, type StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import { escapeRegex } from '../escape-regex.ts';
import { nowUs } from '../history/clock.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { MirrorMaker } from '../mirror/mirror-maker.ts';
import { Random } from '../random.ts';
import { recoveryLatencyMs, RUN_NOTES_META_KEY } from '../run/judge-history.ts';
import { eventTimeOrigin } from '../run/event-time-origin.ts';
import { FIRST_OUTPUT_META_KEY, PRIMING_RATE, primeUntilFirstOutput } from '../run/first-output.ts';
import { AccountingTracker, drainGroup, OBSERVATION_META_KEY, tap } from '../run/group-progress.ts';
import { judgeRun } from '../run/judge-run.ts';
import { recordRunMeta, writeRunFiles } from '../run/run-meta.ts';
import type { RunResult } from '../run/run-result.ts';
import type { RunScenarioOptions } from '../run/run-options.ts';
import { replayCommand } from '../run/run-meta.ts';
import { eventTimeRate, expectedSendCount } from '../run/workload-records.ts';
import { finalScan, LagSampler, topicRoles, waitForLagZero } from '../run/run-observer.ts';
import { catchUpLive, LiveConsumer } from '../run/live-consumer.ts';
import { makeRunId, prefixSut } from '../run/run-topics.ts';
import { readSink } from '../run/sink-reader.ts';
import { checkScenarioTopics } from '../run/topic-refs.ts';
import { workloadRecords } from '../run/workload-records.ts';
import { runSinkDir } from '../sut/sut-config.ts';
import { SutGroup } from '../sut/sut-group.ts';
import { KafkaTransport } from '../workload/kafka-transport.ts';
import { runWorkload } from '../workload/index.ts';
import { drHistory } from './second-copy.ts';
import { FAILOVER_META_KEY, type FailoverMeta } from './drill-meta.ts';
import { setFailoverOffsets } from './failover-offsets.ts';
import { FailoverTransport } from './failover-transport.ts';
import { SiteControl } from './site-control.ts';

export interface FailoverDrillOptions extends Omit<RunScenarioOptions, 'cluster'> {
  primary: StartedCluster;
  dr: StartedCluster;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runFailoverDrill(o: FailoverDrillOptions): Promise<RunResult> {
  const { scenario, seed, runDir, primary, dr } = o;
  if (!scenario.sites) throw new HarnessError('INTERNAL', `scenario '${scenario.name}' is not a failover drill`);
  if (scenario.workload.encoding) throw new HarnessError('USAGE', `scenario '${scenario.name}': failover drills send JSON events only (MirrorMaker 2 would need the registry on both sites); remove workload.encoding`);
  await mkdir(runDir, { recursive: true });
  const runId = makeRunId(scenario.name, seed);
  const sut = prefixSut(o.sut, `${runId}.`, { instances: scenario.sut.instances ?? o.sut.instances, partitions: scenario.sut.partitions });
  const timeline = faultTimeline(scenario, seed);
  checkScenarioTopics(scenario, o.sut, timeline);
  const eventTimeOriginMs = o.eventTimeOriginMs ?? eventTimeOrigin(Date.now(), seed);
  const replay = replayCommand(scenario, seed, [...(o.replayArgs ?? []), '--event-time-origin', String(eventTimeOriginMs)]);
  const rng = new Random(seed);
  const notes: string[] = [];
  const message = (text: string) => o.onProgress?.({ scenario: scenario.name, phase: '-', elapsedMs: 0, runMs: scenario.runDurationMs, rate: undefined, lag: undefined, activeFaults: [], message: text });
  await writeRunFiles(runDir, scenario, seed, replay);

  const groupId = `${o.sut.name}-${runId}`;
  const inputTopics = sut.topics.input.map((t) => t.name);
  const inputTopic = inputTopics[0]!;
  const partitions = sut.topics.input[0]!.partitions;
  const historyPath = join(runDir, 'history.duckdb');
  const history = await HistoryWriter.open(historyPath);
  const dry = drHistory(history);
  const kafka = { primary: createKafka(primary.clientSettings(`streamproof-run-${runId}`)), dr: createKafka(dr.clientSettings(`streamproof-run-${runId}`)) };
  const admin = { primary: kafka.primary.admin(), dr: kafka.dr.admin() };
  const site = { primary: new SiteControl('primary', primary), dr: new SiteControl('dr', dr) };
  const group = (cluster: StartedCluster, dir: string, sinkDir: string | undefined) =>
    new SutGroup({ config: sut, run: { runId, bootstrapServers: cluster.bootstrapServers(), topics: sut.topics, groupId, sinkDir }, clientSettings: cluster.clientSettings(`streamproof-sut-${runId}`), runDir: dir, replicationFactor: Math.min(3, cluster.brokers().length) });
  const sinkDirs = { primary: runSinkDir(sut, join(runDir, 'sink')), dr: runSinkDir(sut, join(runDir, 'sink-dr')) };
  const groups = { primary: group(primary, runDir, sinkDirs.primary), dr: group(dr, join(runDir, 'dr-site'), sinkDirs.dr) };
  const mirrored = [...inputTopics.map(escapeRegex), `.*${escapeRegex(runId)}.*`];
  const meta: FailoverMeta = {
    mode: 'kill', disasterUs: 0, failoverUs: null, sutReadyUs: null, offsets: 'translated', startOffsets: {}, mirrorCuts: [], mirrored,
    exactlyOnceAcrossSites: o.sut.promises.exactlyOnceAcrossSites === true, steadyLatencyMs: recoveryLatencyMs(scenario),
  };
  let mirror: MirrorMaker | undefined;
  let transport: FailoverTransport | undefined;
  const live: LiveConsumer[] = [];
  const lags: LagSampler[] = [];
  let primaryLost = false;

  try {
    await recordRunMeta(history, { scenario, seed, runId, replay, cluster: primary, sut, workload: { eventTimeSpeedup: o.eventTimeSpeedup ?? 5, eventsPerSecond: eventTimeRate(scenario, o.eventTimeSpeedup), eventTimeOriginMs } });
    await Promise.all([admin.primary.connect(), admin.dr.connect()]);
    const lab = await settleLab(kafka.primary, { brokers: primary.brokers().length }).catch(() => undefined);
    if (lab && !lab.settled) notes.push(`the primary lab had not settled after ${Math.round(lab.waitedMs / 1000)} s when the drill started`);

    message(`starting SUT '${sut.name}' on the primary site (topics ${runId}.*)`);
    await groups.primary.start();
    message(`starting MirrorMaker 2 primary -> dr (${mirrored.join(', ')})`);
    mirror = await MirrorMaker.start({
      source: { alias: 'primary', bootstrapServers: replicationBootstrap(primary.links()) },
      target: { alias: 'dr', bootstrapServers: replicationBootstrap(dr.links()) },
      topics: mirrored.join(','),
      topicsExclude: sut.topics.outputs.map((t) => escapeRegex(t.name)).join(','),
      identityTopics: true,
      groups: escapeRegex(groupId),
      dir: join(runDir, 'mirror-maker'),
      replicationFactor: Math.min(3, dr.brokers().length),
      kafkaVersion: primary.kafkaVersion,
      sourceLayer: sourceLayerOf(primary, (a) => a.mirror),
      log: message,
    });
    await waitForTopic(admin.dr, inputTopic, 90_000);

    let outputSeen = false;
    const accounting = new AccountingTracker(sut);
    const watched = tap(accounting.tapObserved(history), 'recordObserved', () => (outputSeen = true));
    live.push((await LiveConsumer.start(kafka.primary, sut.topics.outputs, `streamproof-live-${groupId}`, watched))!);
    const sendsHistory = accounting.tapSends(history);

    const boundMs = sut.firstOutputTimeoutMs;
    message(`priming at ${PRIMING_RATE}/s until the first output (at most ${Math.round(boundMs / 1000)} s)`);
    const wait = await primeUntilFirstOutput({ cluster: primary, topic: inputTopic, history: sendsHistory, seed: rng.fork('priming').seed, workload: scenario.workload, partitions, eventTimeOriginMs, boundMs, outputSeen: () => outputSeen });
    await history.setMeta(FIRST_OUTPUT_META_KEY, wait);

    const { records: events, pacing } = workloadRecords(scenario.workload, { seed: rng.fork('workload').seed, count: expectedSendCount(scenario), partitions, startTimeMs: eventTimeOriginMs, eventsPerSecond: eventTimeRate(scenario, o.eventTimeSpeedup) });
    transport = new FailoverTransport(await KafkaTransport.connect({ settings: primary.clientSettings('streamproof-workload'), topic: inputTopic, acks: -1, idempotent: true, producers: 1 }));
    const t0 = performance.now();
    const elapsed = () => performance.now() - t0;
    let phase = '-';
    let rate: number | undefined;
    const lagPrimary = new LagSampler(kafka.primary, admin.primary, groupId, inputTopics, history);
    lags.push(lagPrimary);
    lagPrimary.start(1000, () => o.onProgress?.({ scenario: scenario.name, phase, elapsedMs: elapsed(), runMs: scenario.runDurationMs, rate, lag: lagPrimary.last, activeFaults: primaryLost ? ['site.fail'] : [] }));

    const failover = async (offsets: DrillFaultAttributes & { type: 'site.failover' }) => {
      meta.failoverUs = nowUs();
      meta.offsets = offsets.offsets;
      message('failover: stopping MirrorMaker 2');
      await mirror?.stop(5_000);
      meta.startOffsets = await setFailoverOffsets(admin.dr, groupId, inputTopics, offsets.offsets, Math.floor(meta.disasterUs / 1000));
      message(`failover: group ${groupId} on the DR site starts from ${offsets.offsets} offsets ${JSON.stringify(meta.startOffsets)}`);
      transport!.switchTo(await KafkaTransport.connect({ settings: dr.clientSettings('streamproof-workload'), topic: inputTopic, acks: -1, idempotent: true, producers: 1 }));
      lagPrimary.stop();
      await Promise.all(live.splice(0).map((c) => c.disconnect().catch(() => undefined)));
      // The outputs exist on the DR site before anything subscribes to them.
      await groups.dr.createTopics();
      live.push((await LiveConsumer.start(kafka.dr, sut.topics.outputs, `streamproof-live-${groupId}`, drHistory(watched)))!);
      message(`failover: starting SUT '${sut.name}' on the DR site`);
      await groups.dr.start();
      meta.sutReadyUs = nowUs();
      const lagDr = new LagSampler(kafka.dr, admin.dr, groupId, inputTopics, history);
      lags.push(lagDr);
      lagDr.start(1000, () => o.onProgress?.({ scenario: scenario.name, phase, elapsedMs: elapsed(), runMs: scenario.runDurationMs, rate, lag: lagDr.last, activeFaults: ['site.fail'] }));
    };

    const drill = (async () => {
      const heals: Promise<void>[] = [];
      for (const [i, f] of timeline.entries()) {
        while (elapsed() < f.startMs) await sleep(Math.min(50, f.startMs - elapsed()));
        const a = f.parsed as DrillFaultAttributes;
        const faultId = `f${i + 1}`;
        const startUs = nowUs();
        if (a.type === 'mirror.cut') {
          const links = await site[a.side].setReplication(false);
          const cut = { side: a.side, startUs, healUs: null as number | null };
          meta.mirrorCuts.push(cut);
          await history.recordFaultStart({ faultId, type: f.type, target: `${a.side}: ${links.join(', ')}`, attrs: f.attrs, startUs });
          heals.push((async () => {
            while (elapsed() < f.endMs) await sleep(Math.min(50, f.endMs - elapsed()));
            await site[a.side].setReplication(true);
            cut.healUs = nowUs();
            await history.recordFaultHeal(faultId, cut.healUs);
          })());
        } else if (a.type === 'site.fail') {
          meta.mode = a.mode;
          meta.disasterUs = startUs;
          primaryLost = true;
          message(`disaster: the primary site is lost (${a.mode}), with the SUT running there`);
          await Promise.all(groups.primary.runningInstances().map((instance) => instance.kill()));
          const target = await site.primary.fail(a.mode);
          await history.recordFaultStart({ faultId, type: f.type, target, attrs: f.attrs, startUs });
        } else {
          await history.recordFaultStart({ faultId, type: f.type, target: `group ${groupId} -> dr`, attrs: f.attrs, startUs });
          await failover(a);
          await history.recordFaultHeal(faultId, nowUs());
        }
      }
      await Promise.all(heals);
    })();
    const phases = (async () => {
      for (const p of scenario.phases) {
        while (elapsed() < p.startMs) await sleep(Math.min(50, p.startMs - elapsed()));
        phase = p.name;
        await history.recordPhase({ name: p.name, startUs: nowUs() });
        while (elapsed() < p.endMs) await sleep(Math.min(50, p.endMs - elapsed()));
        await history.recordPhaseEnd(p.name, nowUs());
      }
    })();
    const workload = runWorkload({ transport, topic: inputTopic, events, rate: pacing ?? scenario.workload.rate, durationMs: scenario.sendingMs, history: sendsHistory, firstSendId: wait.primed, onProgress: (p) => (rate = p.rate) });
    const [drilled, sent, phased] = await Promise.allSettled([drill, workload, phases]);
    // A drill step that failed leaves the run to be scanned and judged (unknown at best), not lost.
    if (drilled.status === 'rejected') notes.push(`the drill did not go as scheduled: ${(drilled.reason as Error).message}`);
    if (sent.status === 'rejected') throw sent.reason;
    if (phased.status === 'rejected') throw phased.reason;
    if (meta.disasterUs > 0) await history.setMeta(FAILOVER_META_KEY, meta);
    message(`sent ${sent.value.sent} (${sent.value.ok} ok, ${sent.value.fail} fail, ${sent.value.info} info); waiting for the SUT on the DR site to drain`);

    const drainTimeoutMs = o.drainTimeoutMs ?? 60_000;
    const drained = await drainGroup({
      admin: admin.dr, groupId, inputTopics, outputTopics: sut.topics.outputs.map((t) => t.name), sawCommits: lags.at(-1)!.sawCommits, accounting, timeoutMs: drainTimeoutMs,
      lagZero: () => waitForLagZero(admin.dr, groupId, inputTopics, drainTimeoutMs),
    });
    await history.setMeta(OBSERVATION_META_KEY, drained.observation);
    if (drained.problem) notes.push(`the SUT on the DR site ${drained.problem} within ${drainTimeoutMs / 1000}s after the run`);
    const liveBehind = await catchUpLive(live);
    if (liveBehind) notes.push(liveBehind);
  } finally {
    for (const lag of lags) lag.stop();
    await Promise.all(live.splice(0).map((c) => c.disconnect().catch(() => undefined)));
    await Promise.all([groups.primary.stopAll().catch(() => undefined), groups.dr.stopAll().catch(() => undefined)]);
    await mirror?.stop(5_000).catch(() => undefined);
    await transport?.close();
  }

  // Each site's scan on its own, the other still read; a site that could not be read leaves the
  // outputs incomplete: no verdict then (the checkers would call the unread outputs lost), the history is kept.
  const unscanned: string[] = [];
  try {
    const scan = async (name: 'primary' | 'dr', read: () => Promise<void>) => read().catch((error: unknown) => void unscanned.push(`the ${name} site could not be scanned: ${(error as Error).message}`));
    await scan('primary', async () => {
      if (primaryLost) {
        message('bringing the primary site back, only to read it');
        await site.primary.restore(meta.mode);
        await site.primary.awaitReadable(topicRoles(sut).map((t) => t.topic));
      }
      message('final scan of both sites');
      await finalScan(createKafka(primary.clientSettings(`streamproof-scan-${runId}`)), sut, history, message);
    });
    await scan('dr', () => finalScan(kafka.dr, sut, dry, message));
    for (const sink of sut.sinks) {
      for (const [name, dir, into] of [['primary', sinkDirs.primary, history], ['dr', sinkDirs.dr, dry]] as const) {
        await readSink(sink, dir, into).then((n) => message(`read ${n} rows from sink ${sink.name} on the ${name} site`)).catch((error: unknown) => notes.push(`sink ${sink.name} (${name} site) could not be read: ${(error as Error).message}`));
      }
    }
    if (notes.length > 0) await history.setMeta(RUN_NOTES_META_KEY, notes);
  } finally {
    await Promise.all([admin.primary.disconnect(), admin.dr.disconnect()].map((p) => p.catch(() => undefined)));
    await history.close();
  }
  if (unscanned.length > 0) throw new HarnessError('CLUSTER_UNREACHABLE', `${unscanned.join('; ')} (the history so far is in ${historyPath})`);
  message('checking the history');
  return judgeRun({ historyPath, scenario, seed, replay, runDir, notes, onProgress: message });
}

async function waitForTopic(admin: ReturnType<ReturnType<typeof createKafka>['admin']>, topic: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await admin.listTopics().catch((): string[] => [])).includes(topic)) return;
    await sleep(500);
  }
  throw new HarnessError('CLUSTER_START_FAILED', `MirrorMaker 2 did not create ${topic} on the DR site within ${timeoutMs / 1000} s`);
}

