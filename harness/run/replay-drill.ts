/**
 * The `replay-from-bronze` drill: after the run (SUT stopped, topics scanned), a second
 * instance group of the same SUT, with a fresh consumer group and state, reads the run's bronze
 * topic as its input and writes fresh silver/gold topics (`<run>.replay.*`). The original
 * silver and gold were snapshotted by the final scan; rebuilding into fresh topics is the same
 * test as wiping and rebuilding in place, without destroying the evidence. The rebuilt records
 * are recorded as roles `replay-output` / `replay-gold` and judged from the history by
 * `replayDrillCheck`, so `streamproof check` re-judges it too.
 */
import type { Kafka } from 'kafkajs';
import { checkResult, type CheckResult } from '../checkers/index.ts';
import { EVENT_ID } from '../checkers/history-sql.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { readToEnd } from '../kafka/read-to-end.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import { SutGroup } from '../sut/sut-group.ts';
import { recordMessage } from './run-observer.ts';
import { waitForLagZero } from './run-observer.ts';
import { outputRole, prefixSut } from './run-topics.ts';

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
  const bronze = o.sut.topics.bronze;
  if (!bronze) {
    await o.history.setMeta(DRILL_META_KEY, { ran: false, reason: 'the SUT has no bronze topic' });
    return;
  }
  const replayPrefix = `${o.runId}.replay.`;
  const base = prefixSut(o.described, replayPrefix, { instances: o.sut.instances, partitions: o.sut.topics.input[0]!.partitions });
  const replay: SutConfig = { ...base, name: `${base.name}-replay`, topics: { ...base.topics, input: [{ name: bronze, partitions: o.sut.topics.input[0]!.partitions }] } };
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
    o.onProgress?.(`replay drill: rebuilding ${replay.topics.output.join(', ')} from ${bronze}`);
    await group.start();
    drainedMs = await waitForLagZero(o.kafka, o.admin, groupId, [bronze], o.timeoutMs ?? 120_000, o.sut.topics.input[0]!.partitions);
    await new Promise((r) => setTimeout(r, 3000)); // the last window ticks
  } finally {
    await group.stopAll();
  }
  for (const topic of replay.topics.output) {
    const role = `replay-${outputRole(topic)}`;
    await readToEnd(o.kafka, topic, (partition, message) => recordMessage(o.history, role, topic, partition, message));
  }
  await o.history.setMeta(DRILL_META_KEY, { ran: true, drained: drainedMs !== null, drainMs: drainedMs, topics: replay.topics.output });
}

const GOLD = (role: string) => `
  SELECT DISTINCT
    TRY_CAST(json_extract(TRY(decode(value)), '$.partition') AS INTEGER) AS p,
    TRY_CAST(json_extract(TRY(decode(value)), '$.window_start_ms') AS BIGINT) AS w,
    json_extract_string(TRY(decode(value)), '$.region') AS r,
    json_extract_string(TRY(decode(value)), '$.event_count') || '/' || json_extract_string(TRY(decode(value)), '$.order_count') || '/' || json_extract_string(TRY(decode(value)), '$.revenue_cents') AS v
  FROM observed WHERE role = '${role}'`;

/** Judges the drill from the history: silver event ids equal, gold windows present in both equal. */
export async function replayDrillCheck(history: HistoryReader): Promise<CheckResult> {
  const meta = (await history.meta())[DRILL_META_KEY] as { ran?: boolean; drained?: boolean; reason?: string } | undefined;
  if (!meta?.ran) return checkResult(DRILL_CHECK, 'unknown', `the drill did not run${meta?.reason ? `: ${meta.reason}` : ''}`, {});
  const [silver] = await history.query<{ original: number; rebuilt: number; missing: number; extra: number }>(`
    WITH o AS (SELECT DISTINCT ${EVENT_ID} AS e FROM observed WHERE role = 'output'),
         r AS (SELECT DISTINCT ${EVENT_ID} AS e FROM observed WHERE role = 'replay-output')
    SELECT (SELECT count(*) FROM o) AS original, (SELECT count(*) FROM r) AS rebuilt,
      (SELECT count(*) FROM o WHERE e NOT IN (SELECT e FROM r WHERE e IS NOT NULL)) AS missing,
      (SELECT count(*) FROM r WHERE e NOT IN (SELECT e FROM o WHERE e IS NOT NULL)) AS extra`);
  const [gold] = await history.query<{ both: number; mismatched: number; only_original: number; only_rebuilt: number }>(`
    WITH o AS (${GOLD('gold')}), r AS (${GOLD('replay-gold')}),
    ok AS (SELECT DISTINCT p, w, r FROM o), rk AS (SELECT DISTINCT p, w, r FROM r)
    SELECT
      (SELECT count(*) FROM ok JOIN rk USING (p, w, r)) AS both,
      (SELECT count(*) FROM (SELECT p, w, r FROM ok JOIN rk USING (p, w, r)) k
        WHERE (SELECT string_agg(v, ',' ORDER BY v) FROM o WHERE o.p = k.p AND o.w = k.w AND o.r IS NOT DISTINCT FROM k.r)
           IS DISTINCT FROM (SELECT string_agg(v, ',' ORDER BY v) FROM r WHERE r.p = k.p AND r.w = k.w AND r.r IS NOT DISTINCT FROM k.r)) AS mismatched,
      (SELECT count(*) FROM ok ANTI JOIN rk USING (p, w, r)) AS only_original,
      (SELECT count(*) FROM rk ANTI JOIN ok USING (p, w, r)) AS only_rebuilt`);
  const n = (x: unknown) => Number(x ?? 0);
  const counts = {
    silverOriginal: n(silver?.original), silverRebuilt: n(silver?.rebuilt), silverMissing: n(silver?.missing), silverExtra: n(silver?.extra),
    goldCompared: n(gold?.both), goldMismatched: n(gold?.mismatched), goldOnlyOriginal: n(gold?.only_original), goldOnlyRebuilt: n(gold?.only_rebuilt),
  };
  const detail = `silver ${counts.silverRebuilt}/${counts.silverOriginal} events rebuilt (${counts.silverMissing} missing, ${counts.silverExtra} extra); gold ${counts.goldCompared} windows compared, ${counts.goldMismatched} differ (${counts.goldOnlyOriginal} only before, ${counts.goldOnlyRebuilt} only rebuilt: not judged, window closing depends on timing)`;
  if (counts.silverMissing > 0 || counts.silverExtra > 0 || counts.goldMismatched > 0) return checkResult(DRILL_CHECK, false, `rebuild from bronze differs: ${detail}`, counts);
  if (!meta.drained) return checkResult(DRILL_CHECK, 'unknown', `the rebuild did not drain in time: ${detail}`, counts);
  if (counts.silverOriginal === 0) return checkResult(DRILL_CHECK, 'unknown', 'no silver output to compare', counts);
  return checkResult(DRILL_CHECK, true, `rebuild from bronze matches: ${detail}`, counts);
}
