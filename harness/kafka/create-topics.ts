import type { Admin, ITopicConfig } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Creates topics and waits until every partition has a leader. kafkajs' own `waitForLeaders`
 * asks one broker for metadata right after the create and gives up on UNKNOWN_TOPIC_OR_PARTITION,
 * which a KRaft broker answers until it has replayed the new topic from the metadata log (a CI
 * run lost a pipeline instance to it). Here every retriable error is waited out, up to `timeoutMs`.
 * Resolves to false when every topic already existed, like kafkajs.
 */
export async function createTopicsWithLeaders(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<boolean> {
  const created = await admin.createTopics({ topics, waitForLeaders: false, timeout: timeoutMs });
  await waitForLeaders(admin, topics.map((t) => t.topic), timeoutMs);
  return created;
}

/** Polls metadata until every partition of `topics` has a leader; retriable errors are polled through. */
export async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let waitMs = 50; ; waitMs = Math.min(waitMs * 2, 500)) {
    let why: string;
    try {
      const leaderless = (await admin.fetchTopicMetadata({ topics })).topics.flatMap((t) =>
        t.partitions.length === 0 ? [`${t.name}: no partitions`] : t.partitions.filter((p) => p.leader < 0).map((p) => `${t.name}/${p.partitionId}`),
      );
      if (leaderless.length === 0) return;
      why = `no leader yet for ${leaderless.join(', ')}`;
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable) throw error;
      why = (error as Error).message;
    }
    if (Date.now() + waitMs > deadline) throw new Error(`topics ${topics.join(', ')} had no leaders after ${timeoutMs} ms: ${why}`);
    await sleep(waitMs);
  }
}
