/**
 * The state-loss drill (`sut.state-loss` on a scenario's time line): mid-run, the SUT loses
 * everything it keeps — its instances are killed, its own topics (every topic named after the
 * run that is not a declared input or output: changelogs, repartition topics) deleted, its sink
 * directory emptied — and is rebuilt by reprocessing: its consumer group goes back to the
 * earliest offsets and it starts again, writing the same outputs.
 *
 * What it wrote before the loss is the undisturbed run; what it writes after is the rebuild.
 * The two stay apart in the history as the failover drill's sites do (drill-meta.ts): a record
 * at or past an output partition's end at the moment of the loss, and every sink row read after
 * it, carries its offset + DR_OFFSET_BASE. The sinks are read into the history before they are
 * emptied. `stateLossCheck` then compares: every event in the undisturbed records is in the
 * rebuilt ones with the same value, every final aggregate key emitted before is emitted again
 * with the same value (topics and sinks).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { checkResult, MAX_EXAMPLES, type CheckResult } from '../checkers/checker.ts';
import { emittedSql } from '../checkers/aggregate-sql.ts';
import { EVENT_ID } from '../checkers/history-sql.ts';
import { HarnessError } from '../errors.ts';
import { nowUs } from '../history/clock.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { deleteTopicsAndWait } from '../run/delete-run-topics.ts';
import { readSink } from '../run/sink-reader.ts';
import { declaredAggregates, type SutConfig } from '../sut/sut-config.ts';
import type { SutGroup } from '../sut/sut-group.ts';
import { DR_OFFSET_BASE, STATE_LOSS_META_KEY } from './drill-meta.ts';
import { asSecondCopy, mapObserved } from './second-copy.ts';
import { setFailoverOffsets } from './failover-offsets.ts';

export const STATE_LOSS_CHECK = 'state-loss';

export interface StateLossMeta {
  atUs: number;
  /** `topic/partition` -> the end offset when the state was lost: records from there on are the rebuild. */
  boundaries: Record<string, number>;
  deletedTopics: string[];
  /** Sinks read before they were emptied, with their row counts; a sink that could not be read, with why. */
  sinkSnapshots: Record<string, number>;
  sinkSnapshotErrors?: Record<string, string>;
  /** When the SUT was ready again. */
  restartedUs: number | null;
}

/**
 * Which observed rows are the rebuild's. `wrap` gives the history the run's observers write
 * through: a row past its partition's boundary (every sink row once the sinks were emptied) is
 * recorded with its offset + DR_OFFSET_BASE. Before any loss it changes nothing.
 */
export class RebuildMarker {
  private boundaries: Record<string, number> | undefined;

  lost(boundaries: Record<string, number>): void {
    this.boundaries = boundaries;
  }

  wrap(history: HistoryWriter): HistoryWriter {
    return mapObserved(history, (row) => (this.isRebuild(row.topic, row.partition, row.offset) ? asSecondCopy(row) : row));
  }

  private isRebuild(topic: string, partition: number, offset: number): boolean {
    if (!this.boundaries) return false;
    if (topic.startsWith('sink:')) return true;
    const end = this.boundaries[`${topic}/${partition}`];
    return end !== undefined && offset >= end;
  }
}

export interface LoseStateOptions {
  admin: Admin;
  group: SutGroup;
  /** The SUT with the run's topic names. */
  sut: SutConfig;
  groupId: string;
  runId: string;
  sinkDir: string | undefined;
  history: HistoryWriter;
  marker: RebuildMarker;
  onProgress?: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Carries out the loss and the rebuild's start (details in run_meta `drill.state-loss`). */
export async function loseState(o: LoseStateOptions): Promise<void> {
  const atUs = nowUs();
  const instances = o.group.runningInstances();
  await Promise.all(instances.map((i) => i.kill()));
  await untilEmpty(o.admin, o.groupId, 60_000);

  const outputs = o.sut.topics.outputs.map((t) => t.name);
  const boundaries: Record<string, number> = {};
  for (const topic of outputs) for (const p of await o.admin.fetchTopicOffsets(topic)) boundaries[`${topic}/${p.partition}`] = Number(p.high);
  const sinkSnapshots: Record<string, number> = {};
  const sinkSnapshotErrors: Record<string, string> = {};
  for (const sink of o.sut.sinks) {
    await readSink(sink, o.sinkDir, o.history).then((rows) => void (sinkSnapshots[sink.name] = rows), (error: unknown) => void (sinkSnapshotErrors[sink.name] = (error as Error).message));
  }
  o.marker.lost(boundaries);

  const declared = new Set([...o.sut.topics.input.map((t) => t.name), ...outputs]);
  const own = (await o.admin.listTopics()).filter((t) => t.includes(o.runId) && !declared.has(t));
  await deleteTopicsAndWait(o.admin, own);
  if (o.sinkDir) for (const entry of await readdir(o.sinkDir).catch((): string[] => [])) await rm(join(o.sinkDir, entry), { recursive: true, force: true });
  await setFailoverOffsets(o.admin, o.groupId, o.sut.topics.input.map((t) => t.name), 'earliest', Date.now());
  o.onProgress?.(`state lost: ${instances.length} instance(s) killed, ${own.length ? own.join(', ') : 'no topic of its own'} deleted, sink ${o.sinkDir ? 'emptied' : 'none'}; rebuilding by reprocessing from the earliest offsets`);

  const meta: StateLossMeta = { atUs, boundaries, deletedTopics: own, sinkSnapshots, ...(Object.keys(sinkSnapshotErrors).length ? { sinkSnapshotErrors } : {}), restartedUs: null };
  await o.history.setMeta(STATE_LOSS_META_KEY, meta);
  await Promise.all(instances.map((i) => i.start()));
  meta.restartedUs = nowUs();
  await o.history.setMeta(STATE_LOSS_META_KEY, meta);
}

/** The group has no members (a killed member leaves at its session timeout): offsets can be reset. */
async function untilEmpty(admin: Admin, groupId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups.every((g) => g.members.length === 0)) return;
    await sleep(500);
  }
  throw new HarnessError('FAULT_FAILED', `the consumer group ${groupId} still had members ${timeoutMs / 1000} s after its instances were killed`);
}

export async function stateLossMetaOf(history: HistoryReader): Promise<StateLossMeta | undefined> {
  const value = (await history.meta())[STATE_LOSS_META_KEY];
  return typeof value === 'object' && value !== null && 'boundaries' in value ? (value as unknown as StateLossMeta) : undefined;
}

const n = (x: unknown) => Number(x ?? 0);

/** The rebuild against the undisturbed run: records by event id and value, final aggregate keys by value. */
export async function stateLossCheck(history: HistoryReader, declared: SutConfig | undefined): Promise<CheckResult> {
  const meta = await stateLossMetaOf(history);
  if (!meta) return checkResult(STATE_LOSS_CHECK, 'unknown', 'the state was never lost (the drill did not run)', {});
  const [records] = await history.query<{ before: number; missing: number; differ: number; examples: unknown[] | null }>(`
    WITH r AS (SELECT DISTINCT ${EVENT_ID} AS e, md5(value) AS h, "offset" >= ${DR_OFFSET_BASE} AS rebuilt FROM observed WHERE role = 'records' AND value IS NOT NULL),
         b AS (SELECT e, list(DISTINCT h) AS hs FROM r WHERE NOT rebuilt GROUP BY e),
         a AS (SELECT e, list(DISTINCT h) AS hs FROM r WHERE rebuilt GROUP BY e)
    SELECT (SELECT count(*) FROM b)::INTEGER AS before,
      (SELECT count(*) FROM b ANTI JOIN a USING (e))::INTEGER AS missing,
      (SELECT count(*) FROM b JOIN a USING (e) WHERE list_sort(b.hs) <> list_sort(a.hs))::INTEGER AS differ,
      (SELECT to_json(list({'event_id': e, 'problem': 'not rebuilt'} ORDER BY e)[1:${MAX_EXAMPLES}]) FROM (SELECT e FROM b ANTI JOIN a USING (e))) AS examples`);
  const before = n(records?.before);
  const missing = n(records?.missing);
  const changed = n(records?.differ);
  const counts: Record<string, number> = { recordsBefore: before, recordsMissing: missing, recordsDiffer: changed };
  const examples: unknown[] = [...(records?.examples ?? [])];
  let keys = 0;
  let differ = 0;
  let absent = 0;
  const sources = declared ? [...declaredAggregates(declared)] : [];
  for (const { source, spec } of sources) {
    if (spec.emission !== 'final') continue;
    await history.query(emittedSql(spec, source));
    const [one] = await history.query<{ keys: number; differ: number; absent: number; examples: unknown[] | null }>(`
      WITH v AS (SELECT k, "offset" >= ${DR_OFFSET_BASE} AS rebuilt, list(DISTINCT txt) AS vals FROM emitted GROUP BY k, rebuilt),
           b AS (SELECT * FROM v WHERE NOT rebuilt), a AS (SELECT * FROM v WHERE rebuilt)
      SELECT (SELECT count(*) FROM b)::INTEGER AS keys,
        (SELECT count(*) FROM b JOIN a USING (k) WHERE list_sort(b.vals) <> list_sort(a.vals))::INTEGER AS differ,
        (SELECT count(*) FROM b ANTI JOIN a USING (k))::INTEGER AS absent,
        (SELECT to_json(list({'source': ${`'${source.replaceAll("'", "''")}'`}, 'key': k, 'before': b.vals, 'rebuilt': a.vals} ORDER BY k)[1:${MAX_EXAMPLES}]) FROM b JOIN a USING (k) WHERE list_sort(b.vals) <> list_sort(a.vals)) AS examples`);
    keys += n(one?.keys);
    differ += n(one?.differ);
    absent += n(one?.absent);
    examples.push(...(one?.examples ?? []));
  }
  Object.assign(counts, { aggregateKeysBefore: keys, aggregateKeysDiffer: differ, aggregateKeysNotRebuilt: absent });
  const detail = `records: ${before - missing}/${before} events of the undisturbed run rebuilt (${changed} with another value); final aggregates: ${keys - absent}/${keys} keys rebuilt (${differ} with another value)`;
  if (missing > 0 || changed > 0 || differ > 0 || absent > 0) return checkResult(STATE_LOSS_CHECK, false, `the rebuild differs from the undisturbed run: ${detail}`, counts, examples);
  if (before === 0 && keys === 0) return checkResult(STATE_LOSS_CHECK, 'unknown', 'nothing was output before the state was lost: nothing to compare', counts);
  const unread = Object.entries(meta.sinkSnapshotErrors ?? {});
  if (unread.length > 0) return checkResult(STATE_LOSS_CHECK, 'unknown', `the sinks were not all read before they were emptied (${unread.map(([name, why]) => `${name}: ${why}`).join('; ')}): ${detail}`, counts);
  return checkResult(STATE_LOSS_CHECK, true, `the rebuild equals the undisturbed run: ${detail}`, counts);
}
