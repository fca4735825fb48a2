/**
 * Who owns each input partition, and how far behind it is, once a second: the group's
 * assignment (admin.describeGroups) and lag (end offset − committed offset) per partition,
 * recorded as metric `partition.lag` with labels `{ partition, side, client }`. In canary mode
 * both versions share one consumer group, so this is what attributes each partition's lag,
 * latency and throughput to the version that owned it at that moment; in shadow mode each
 * version's group owns every partition and the labels just name the side.
 */
import { AssignerProtocol, type Admin } from 'kafkajs';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';

export const PARTITION_LAG_METRIC = 'partition.lag';

/** Side label of a partition no member owns (between a crash and the rebalance that follows). */
export const NO_OWNER = 'none';

export interface WatchedGroup {
  groupId: string;
  history: HistoryWriter;
  /** The side a member belongs to, from its client id; undefined for a member of neither. */
  sideOf(clientId: string): string | undefined;
}

export interface PartitionOwnership {
  partition: number;
  side: string;
  client: string;
  lag: number;
}

/** One sample of one group: owner and lag per partition of `topic`. */
export async function samplePartitions(admin: Admin, groupId: string, topic: string, sideOf: WatchedGroup['sideOf']): Promise<PartitionOwnership[]> {
  const [described, committed, ends] = await Promise.all([admin.describeGroups([groupId]), admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const owner = new Map<number, { side: string; client: string }>();
  for (const member of described.groups[0]?.members ?? []) {
    if (!member.memberAssignment || member.memberAssignment.length === 0) continue;
    const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
    for (const p of decoded?.assignment[topic] ?? []) owner.set(p, { side: sideOf(member.clientId) ?? NO_OWNER, client: member.clientId });
  }
  const offsets = committed[0]?.partitions ?? [];
  return ends.map((e) => {
    const offset = Number(offsets.find((p) => p.partition === e.partition)?.offset ?? -1);
    const lag = Math.max(0, Number(e.high) - (offset < 0 ? Number(e.low) : offset));
    const o = owner.get(e.partition) ?? { side: NO_OWNER, client: '' };
    return { partition: e.partition, side: o.side, client: o.client, lag };
  });
}

/** Samples every watched group each `intervalMs` until the returned function is called. */
export function startPartitionSampler(admin: Admin, topic: string, groups: WatchedGroup[], intervalMs = 1000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.all(
      groups.map(async (g) => {
        const tsUs = nowUs();
        const sample = await samplePartitions(admin, g.groupId, topic, g.sideOf);
        for (const p of sample) g.history.recordMetric({ tsUs, name: PARTITION_LAG_METRIC, labels: { partition: String(p.partition), side: p.side, client: p.client }, value: p.lag });
      }),
    )
      .catch(() => undefined) // a broker down during a fault: no sample this second
      .finally(() => (busy = false));
  }, intervalMs);
  return () => clearInterval(timer);
}
