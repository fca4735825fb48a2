import { activeControllerOf } from '../cluster/controller-elections.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { HistoryWriter } from '../history/history-writer.ts';

/** The metric a KRaft controller election is recorded as: value = the new leader's node id, -1 while none. */
export const CONTROLLER_LEADER_METRIC = 'kraft_controller_leader';
/** run_meta: whether elections could be observed at all, and the leader at the end (the quorum checker's input). */
export const CONTROLLER_OBSERVED_META_KEY = 'controller_elections';

/**
 * Records the controller elections since `sinceUs` in the history (one metric row per epoch, at
 * the first time a node logged it, labelled with the epoch and the nodes that saw it) and the
 * leader at the end; returns a line for the report, or undefined when the quorum kept its leader.
 */
export async function recordControllerElections(cluster: StartedCluster, history: HistoryWriter, sinceUs: number): Promise<string | undefined> {
  if (!cluster.controllerElections) {
    await history.setMeta(CONTROLLER_OBSERVED_META_KEY, { observable: false });
    return undefined;
  }
  const elections = await cluster.controllerElections().catch(() => undefined);
  await history.setMeta(CONTROLLER_OBSERVED_META_KEY, elections ? { observable: true, leaderAtEnd: activeControllerOf(elections) ?? null } : { observable: false });
  if (!elections) return undefined;
  const during = elections.filter((e) => e.atMs !== undefined && e.atMs * 1000 >= sinceUs);
  for (const e of during) {
    history.recordMetric({ tsUs: e.atMs! * 1000, name: CONTROLLER_LEADER_METRIC, labels: { epoch: String(e.epoch), seen_by: e.seenBy.join(',') }, value: e.leader ?? -1 });
  }
  if (during.length === 0) return undefined;
  const steps = during.map((e) => `epoch ${e.epoch}: ${e.leader === undefined ? 'no leader' : `node ${e.leader}`} at +${((e.atMs! * 1000 - sinceUs) / 1e6).toFixed(1)} s`);
  return `controller elections during the run: ${steps.join(', ')}`;
}
