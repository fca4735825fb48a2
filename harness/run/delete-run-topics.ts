/**
 * A judged run's topics are deleted. Kept, they piled up on a reused lab (about 20 partition
 * replicas per broker and run, with their data: run topics keep everything, retention off)
 * and every run met a busier lab than the one before: in one capacity search the same rate
 * held at step 4 and missed its lag bound at step 14, and a suite's last scenarios ran on a
 * lab holding every earlier scenario's partitions. The run's history holds everything judged;
 * its topics are not needed after it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { createKafka } from '../kafka/kafka-client.ts';

/** Deletes every topic named after the run's id (the SUT's declared ones and any it made); returns them. */
export async function deleteRunTopics(cluster: StartedCluster, historyPath: string, timeoutMs = 30_000): Promise<string[]> {
  const reader = await HistoryReader.open(historyPath);
  const runId = await reader.meta().then((m) => m['run.id'], () => undefined).finally(() => reader.close());
  if (typeof runId !== 'string' || runId === '') return [];
  const admin = createKafka(cluster.clientSettings('streamproof-lab-cleanup')).admin();
  await admin.connect();
  try {
    const own = (await admin.listTopics()).filter((t) => t.includes(runId));
    await deleteTopicsAndWait(admin, own, timeoutMs);
    return own;
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics and waits (bounded) until the cluster no longer lists them. */
export async function deleteTopicsAndWait(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  if (topics.length === 0) return;
  await admin.deleteTopics({ topics, timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  while ((await admin.listTopics()).some((t) => topics.includes(t)) && Date.now() < deadline) await sleep(500);
}
