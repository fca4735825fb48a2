import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { HistoryWriter } from '../history/history-writer.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { RebuildMarker } from '../drill/state-loss.ts';
import { AccountingTracker, drainGroup, OBSERVATION_META_KEY } from './group-progress.ts';
import { judgeRun } from './judge-run.ts';
import { finalScan, LagSampler, waitForLagZero } from './run-observer.ts';
import type { LiveConsumer } from './live-consumer.ts';
import type { RunResult } from './run-result.ts';
import type { RunSide } from './run-sides.ts';
import { readSink } from './sink-reader.ts';

/** One history of a multi-SUT run, judged: the sides whose topics it watches (sides sharing a group share one). */
export interface RunView {
  dir: string;
  sides: string[];
  result: RunResult;
}

/**
 * The histories of a run: one per consumer group (sides sharing a group share one view), each
 * opened, drained, scanned and judged on its own. The first view holds the run-wide rows.
 */
export interface View {
  groupId: string;
  sides: RunSide[];
  /** The first side's SUT with the run's topic names: what the view watches and scans. */
  sut: SutConfig;
  dir: string;
  historyPath: string;
  history: HistoryWriter;
  lag: LagSampler;
  live?: LiveConsumer;
}

/** Opens one history per consumer group of the sides, in the sides' order; on failure closes what it opened. */
export async function openViews(o: { sides: RunSide[]; viewDir: (groupId: string, sides: RunSide[]) => string; sutOf: (side: RunSide) => SutConfig; kafka: Kafka; admin: Admin; inputTopics: string[] }): Promise<View[]> {
  const views: View[] = [];
  try {
    for (const groupId of [...new Set(o.sides.map((s) => s.groupId))]) {
      const members = o.sides.filter((s) => s.groupId === groupId);
      const dir = o.viewDir(groupId, members);
      await mkdir(dir, { recursive: true });
      const historyPath = join(dir, 'history.duckdb');
      const history = await HistoryWriter.open(historyPath);
      views.push({ groupId, sides: members, sut: o.sutOf(members[0]!), dir, historyPath, history, lag: new LagSampler(o.kafka, o.admin, groupId, o.inputTopics, history) });
    }
  } catch (error) {
    for (const v of views) await v.history.close().catch(() => undefined);
    throw error;
  }
  return views;
}

/** Waits for every view's group to drain (lag 0, or its outputs quiet for a SUT that commits nothing); a group that did not is a run note. */
export async function drainViews(views: View[], o: { admin: Admin; inputTopics: string[]; accounting: Map<View, AccountingTracker>; timeoutMs: number; note: (text: string) => void }): Promise<void> {
  const drained = await Promise.all(
    views.map((v) =>
      drainGroup({
        admin: o.admin, groupId: v.groupId, inputTopics: o.inputTopics, outputTopics: v.sut.topics.outputs.map((o) => o.name), sawCommits: v.lag.sawCommits, accounting: o.accounting.get(v)!, timeoutMs: o.timeoutMs,
        lagZero: () => waitForLagZero(o.admin, v.groupId, o.inputTopics, o.timeoutMs),
      }),
    ),
  );
  for (const [i, drain] of drained.entries()) {
    const who = views.length > 1 ? ` (${views[i]!.sides.map((s) => s.label).join('+')})` : '';
    await views[i]!.history.setMeta(OBSERVATION_META_KEY, drain.observation);
    if (drain.problem) o.note(`the SUT${who} ${drain.problem} within ${o.timeoutMs / 1000}s after the run`);
  }
}

/** The final scan of every view's topics, then its sinks (a sink that cannot be read is a run note). */
export async function scanViews(views: View[], o: { kafka: Kafka; marker: RebuildMarker; sinkDirOf: (view: View) => string | undefined; message: (text: string) => void; note: (text: string) => void }): Promise<void> {
  o.message('final scan of the SUT topics');
  for (const view of views) await finalScan(o.kafka, view.sut, o.marker.wrap(view.history), o.message);
  for (const view of views) {
    for (const sink of view.sut.sinks) {
      await readSink(sink, o.sinkDirOf(view), o.marker.wrap(view.history))
        .then((n) => o.message(`read ${n} rows from sink ${sink.name} (${sink.role})`))
        .catch((error: unknown) => o.note(`sink ${sink.name} could not be read: ${(error as Error).message}`));
    }
  }
}

/** Each view's history judged by the checkers and SLAs. */
export async function judgeViews(views: View[], o: { scenario: Scenario; seed: number; replay: string; notes: string[]; message: (text: string) => void }): Promise<RunView[]> {
  const results: RunView[] = [];
  for (const view of views) {
    o.message(`checking the history${views.length > 1 ? ` of ${view.sides.map((s) => s.label).join('+')}` : ''}`);
    const result = await judgeRun({ historyPath: view.historyPath, scenario: o.scenario, seed: o.seed, replay: o.replay, runDir: view.dir, notes: o.notes, onProgress: o.message });
    results.push({ dir: view.dir, sides: view.sides.map((s) => s.label), result });
  }
  return results;
}
