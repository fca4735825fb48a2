/**
 * What the drills leave in the history, shared by their runners and the checkers.
 *
 * A drill can make a second copy of the SUT's output under the same topic names: a failover
 * drill's DR site (the input is mirrored under its own name, the SUT writes its outputs under
 * the same names there), a state-loss drill's rebuild (state-loss.ts). A record's (topic,
 * partition, offset) would then name two records, so every row of the second copy (for the DR
 * site: sends and observations alike) carries its offset plus DR_OFFSET_BASE: the checkers'
 * identities stay distinct with no change, and a row's copy is `offset >= DR_OFFSET_BASE`
 * (docs/history-schema.md).
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

/** run_meta key of the state-loss drill (state-loss.ts). */
export const STATE_LOSS_META_KEY = 'drill.state-loss';

/**
 * Whether an event or key output once in each copy is explained rather than duplicated: a state
 * loss's rebuild re-emits by design; a failover's DR site re-reads unless the SUT promised
 * exactly-once across sites.
 */
export async function secondCopyExplained(history: HistoryReader): Promise<boolean> {
  const meta = await history.meta();
  if (meta[STATE_LOSS_META_KEY] !== undefined) return true;
  const failover = await failoverMetaOf(history);
  return failover !== undefined && !failover.exactlyOnceAcrossSites;
}

/** Whether the history holds a drill's second copy of the output at all (a failover's DR site, a state loss's rebuild). */
export async function hasSecondCopy(history: HistoryReader): Promise<boolean> {
  const meta = await history.meta();
  return meta[STATE_LOSS_META_KEY] !== undefined || meta[FAILOVER_META_KEY] !== undefined;
}
