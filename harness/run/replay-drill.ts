/**
 * The `replay-from-bronze` drill: after the run (SUT stopped, topics scanned), a second
 * instance group of the same SUT, with a fresh consumer group and state, reads the run's bronze
 * topic as its input and writes fresh records and aggregate topics (`<run>.replay.*`). The original
 * outputs were snapshotted by the final scan; rebuilding into fresh topics is the same
 * test as wiping and rebuilding in place, without destroying the evidence. The rebuilt records
 * are recorded as roles `replay-records` / `replay-aggregate` and judged from the history by
 * `replayDrillCheck`, so `streamproof check` re-judges it too.
 */
import type { Kafka } from 'kafkajs';
import { checkResult, type CheckResult } from '../checkers/index.ts';
import { EVENT_ID } from '../checkers/history-sql.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { readToEnd } from '../kafka/read-to-end.ts';
import { declaredAggregates, outputsOf, type SutConfig } from '../sut/sut-config.ts';
import { SutGroup } from '../sut/sut-group.ts';
import { recordMessage } from './run-observer.ts';
import { waitForLagZero } from './run-observer.ts';
import { prefixSut } from './run-topics.ts';
import { emittedSql } from '../checkers/aggregate-sql.ts';

export const DRILL_META_KEY = 'drill.replay-from-bronze';
export const DRILL_CHECK = 'replay-from-bronze';

export interface ReplayDrillOptions {
  kafka: Kafka;
  admin: ReturnType<Kafka['admin']>;
  cluster: StartedCluster;
  /** The SUT as described (unprefixed) and as run (prefixed). */
  described: SutConfig;
  sut: SutConfig;
  runId: string;
  runDir: string;
  history: HistoryWriter;
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

export async function runReplayDrill(o: ReplayDrillOptions): Promise<void> {
  const bronze = outputsOf(o.sut, 'bronze')[0]?.name;
  if (!bronze) {
    await o.history.setMeta(DRILL_META_KEY, { ran: false, reason: 'the SUT has no bronze topic' });
    return;
  }
  const replayPrefix = `${o.runId}.replay.`;
  const base = prefixSut(o.described, replayPrefix, { instances: o.sut.instances, partitions: o.sut.topics.input[0]!.partitions });
  const replay: SutConfig = { ...base, name: `${base.name}-replay`, topics: { ...base.topics, input: [{ name: bronze, partitions: o.sut.topics.input[0]!.partitions }] } };
  const rebuilt = replay.topics.outputs.filter((t) => t.role === 'records' || t.role === 'aggregate');
  const groupId = `${o.sut.name}-${o.runId}-replay`;
  const group = new SutGroup({
    config: replay,
    run: { runId: `${o.runId}-replay`, bootstrapServers: o.cluster.bootstrapServers(), topics: replay.topics, groupId, sinkDir: undefined },
    clientSettings: o.cluster.clientSettings(`streamproof-replay-${o.runId}`),
    runDir: o.runDir,
    replicationFactor: Math.min(3, o.cluster.brokers().length),
  });
  let drainedMs: number | null = null;
  try {
    o.onProgress?.(`replay drill: rebuilding ${rebuilt.map((t) => t.name).join(', ')} from ${bronze}`);
    await group.start();
    drainedMs = await waitForLagZero(o.admin, groupId, [bronze], o.timeoutMs ?? 120_000, o.sut.topics.input[0]!.partitions);
    await new Promise((r) => setTimeout(r, 3000)); // the last window ticks
  } finally {
    await group.stopAll();
  }
  for (const { name, role } of rebuilt) {
    await readToEnd(o.kafka, name, (partition, message) => recordMessage(o.history, `replay-${role}`, name, partition, message));
  }
  // Which rebuilt topic stands for which original, for the aggregate comparison.
  const pairs = rebuilt.map((t, i) => ({ original: o.sut.topics.outputs.filter((x) => x.role === 'records' || x.role === 'aggregate')[i]!.name, rebuilt: t.name }));
  await o.history.setMeta(DRILL_META_KEY, { ran: true, drained: drainedMs !== null, drainMs: drainedMs, topics: rebuilt.map((t) => t.name), pairs });
}

/** Judges the drill from the history: records event ids equal, aggregate keys present in both with equal values. */
export async function replayDrillCheck(history: HistoryReader, declared: SutConfig | undefined): Promise<CheckResult> {
  const meta = (await history.meta())[DRILL_META_KEY] as { ran?: boolean; drained?: boolean; reason?: string; pairs?: { original: string; rebuilt: string }[] } | undefined;
  if (!meta?.ran) return checkResult(DRILL_CHECK, 'unknown', `the drill did not run${meta?.reason ? `: ${meta.reason}` : ''}`, {});
  const [records] = await history.query<{ original: number; rebuilt: number; missing: number; extra: number }>(`
    WITH o AS (SELECT DISTINCT ${EVENT_ID} AS e FROM observed WHERE role = 'records'),
         r AS (SELECT DISTINCT ${EVENT_ID} AS e FROM observed WHERE role = 'replay-records')
    SELECT (SELECT count(*) FROM o) AS original, (SELECT count(*) FROM r) AS rebuilt,
      (SELECT count(*) FROM o WHERE e NOT IN (SELECT e FROM r WHERE e IS NOT NULL)) AS missing,
      (SELECT count(*) FROM r WHERE e NOT IN (SELECT e FROM o WHERE e IS NOT NULL)) AS extra`);
  const agg = { both: 0, mismatched: 0, only_original: 0, only_rebuilt: 0 };
  for (const { source, spec } of declared ? declaredAggregates(declared) : []) {
    const rebuilt = meta.pairs?.find((p) => p.original === source)?.rebuilt;
    if (!rebuilt) continue;
    const rows = async (role: string, topic: string, table: string) => {
      await history.query(emittedSql(spec, topic, role));
      await history.query(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT k, list(DISTINCT [${spec.values.map((_, i) => `v${i}`).join(', ')}] ORDER BY 1) AS vals FROM emitted GROUP BY k`);
    };
    await rows('aggregate', source, 'drill_original');
    await rows('replay-aggregate', rebuilt, 'drill_rebuilt');
    const [one] = await history.query<{ both: number; mismatched: number; only_original: number; only_rebuilt: number }>(`
      SELECT (SELECT count(*) FROM drill_original JOIN drill_rebuilt USING (k))::INTEGER AS both,
        (SELECT count(*) FROM drill_original o JOIN drill_rebuilt r USING (k) WHERE o.vals IS DISTINCT FROM r.vals)::INTEGER AS mismatched,
        (SELECT count(*) FROM drill_original ANTI JOIN drill_rebuilt USING (k))::INTEGER AS only_original,
        (SELECT count(*) FROM drill_rebuilt ANTI JOIN drill_original USING (k))::INTEGER AS only_rebuilt`);
    for (const key of Object.keys(agg) as (keyof typeof agg)[]) agg[key] += one?.[key] ?? 0;
  }
  const n = (x: unknown) => Number(x ?? 0);
  const counts = {
    recordsOriginal: n(records?.original), recordsRebuilt: n(records?.rebuilt), recordsMissing: n(records?.missing), recordsExtra: n(records?.extra),
    aggregateCompared: n(agg.both), aggregateMismatched: n(agg.mismatched), aggregateOnlyOriginal: n(agg.only_original), aggregateOnlyRebuilt: n(agg.only_rebuilt),
  };
  const detail = `records ${counts.recordsRebuilt}/${counts.recordsOriginal} events rebuilt (${counts.recordsMissing} missing, ${counts.recordsExtra} extra); aggregates ${counts.aggregateCompared} keys compared, ${counts.aggregateMismatched} differ (${counts.aggregateOnlyOriginal} only before, ${counts.aggregateOnlyRebuilt} only rebuilt: not judged, window closing depends on timing)`;
  if (counts.recordsMissing > 0 || counts.recordsExtra > 0 || counts.aggregateMismatched > 0) return checkResult(DRILL_CHECK, false, `rebuild from bronze differs: ${detail}`, counts);
  if (!meta.drained) return checkResult(DRILL_CHECK, 'unknown', `the rebuild did not drain in time: ${detail}`, counts);
  if (counts.recordsOriginal === 0) return checkResult(DRILL_CHECK, 'unknown', 'no records output to compare', counts);
  return checkResult(DRILL_CHECK, true, `rebuild from bronze matches: ${detail}`, counts);
}
