/**
 * Where the SUT's consumer group starts on the DR site (or after a state loss: `earliest`), set as
 * a runbook would before starting it:
 * - `translated`: what MirrorMaker 2 synced (its checkpoints of the primary's commits; at the
 *   head exact, further back erring early, so a SUT re-reads rather than skips);
 * - `timestamp`: the first records at or after REWIND_MS before the disaster (record timestamps
 *   survive mirroring), for a mirror whose checkpoints cannot be trusted;
 * - `earliest`: everything the DR site holds.
 * Returns the group's committed offset per `topic/partition` as the SUT will find it (null: none).
 */
import type { Admin } from 'kafkajs';
import type { FailoverOffsets } from '../../scenarios/model/fault-kinds.ts';

export const REWIND_MS = 30_000;

export async function setFailoverOffsets(admin: Admin, groupId: string, topics: readonly string[], strategy: FailoverOffsets, disasterMs: number): Promise<Record<string, number | null>> {
  for (const topic of topics) {
    // Explicit offsets (the low watermarks), not kafkajs' earliest sentinel: any client reads them as they are.
    if (strategy === 'earliest') {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.low })) });
    }
    if (strategy === 'timestamp') {
      const at = await admin.fetchTopicOffsetsByTimestamp(topic, Math.floor(disasterMs - REWIND_MS));
      await admin.setOffsets({ groupId, topic, partitions: at.map((p) => ({ partition: p.partition, offset: p.offset })) });
    }
  }
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const offsets: Record<string, number | null> = {};
  for (const t of committed) for (const p of t.partitions) offsets[`${t.topic}/${p.partition}`] = Number(p.offset) < 0 ? null : Number(p.offset);
  return offsets;
}
