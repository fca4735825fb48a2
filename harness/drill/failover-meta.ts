/**
 * What a failover drill leaves in the history, shared by the drill runner and its judges.
 *
 * One topic exists on both sites (the input is mirrored under its own name, the SUT writes its
 * outputs under the same names on the DR site), so a record's (topic, partition, offset) would
 * name two records. Every row the drill records from the DR site, sends and observations alike,
 * carries its offset plus DR_OFFSET_BASE: the checkers' identities stay distinct with no change,
 * and a row's site is `offset >= DR_OFFSET_BASE` (docs/history-schema.md).
 */
import { EVENT_ID } from '../checkers/history-sql.ts';
import type { HistoryReader } from '../history/history-reader.ts';

export const DR_OFFSET_BASE = 2 ** 40;

/** SQL: the site of an `observed` or `sends` row. */
export const SITE_SQL = `CASE WHEN "offset" >= ${DR_OFFSET_BASE} THEN 'dr' ELSE 'primary' END`;

export const FAILOVER_CHECK = 'failover';
export const FAILOVER_META_KEY = 'drill.failover';

/** run_meta `drill.failover`: the drill as it happened (times in epoch µs). */
export interface FailoverMeta {
  mode: 'kill' | 'isolate';
  disasterUs: number;
  /** When the runbook started, and when the SUT on the DR site was ready (null: it never was). */
  failoverUs: number | null;
  sutReadyUs: number | null;
  offsets: 'translated' | 'timestamp' | 'earliest';
  /** The DR group's committed offsets the SUT started from, per input partition (null: none, the SUT's own reset applies). */
  startOffsets: Record<string, number | null>;
  /** Mirror cuts (start, heal) before the disaster. */
  mirrorCuts: { side: 'primary' | 'dr'; startUs: number; healUs: number | null }[];
  /** Topics MirrorMaker 2 replicated (identity names). */
  mirrored: string[];
  /** The SUT promised exactly-once across sites: a re-read after the switch is then a duplicate, not explained. */
  exactlyOnceAcrossSites: boolean;
  /** Steady latency bound used for rto_steady (ms). */
  steadyLatencyMs: number;
}

/** Event ids acknowledged on the primary that are not in the DR site's input: lost with the primary. */
export const RPO_LOST_SQL = `
SELECT event_id, min(complete_us) AS acked_us, arg_min({'partition': partition, 'offset': "offset", 'send_id': send_id}, send_id) AS first
FROM sends
WHERE outcome = 'ok' AND "offset" < ${DR_OFFSET_BASE}
  AND event_id NOT IN (SELECT ${EVENT_ID} FROM observed WHERE role = 'input' AND "offset" >= ${DR_OFFSET_BASE} AND ${EVENT_ID} IS NOT NULL)
GROUP BY event_id`;

/** The drill's record, when the history is a failover drill's. */
export async function failoverMetaOf(history: HistoryReader): Promise<FailoverMeta | undefined> {
  const value = (await history.meta())[FAILOVER_META_KEY];
  return typeof value === 'object' && value !== null && 'disasterUs' in value ? (value as unknown as FailoverMeta) : undefined;
}
