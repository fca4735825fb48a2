/**
 * For `bench:pipeline --backlogs`: the same backlog written two ways, and what each looks like
 * to a consumer. `produceAll` sends 500 records per request (about 125 per partition batch);
 * `generate --topic` sends through the workload at its rate (default 1,000/s), one batch per
 * partition in flight, so at a low rate each record batch in the log holds one or two records.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { GeneratedRecord } from '../generators/record.ts';
import type { StartedCluster } from '../harness/cluster/started-cluster.ts';
import { DEFAULT_CLI_RATE, sendGenerated } from '../harness/workload/send-generated.ts';
import { produceAll } from '../pipeline/testing/pipeline-run.ts';

export type BacklogWriter = 'batches' | 'generate' | 'generate-linger';
/** The linger of the `generate-linger` backlog: at 1,000/s over 4 partitions, about 60 records a batch. */
export const BACKLOG_LINGER_MS = 250;

export interface WrittenBacklog {
  /** Record batches the producer sent (one per partition per request). */
  batches: number;
}

export async function writeBacklog(how: BacklogWriter, kafka: Kafka, cluster: StartedCluster, topic: string, records: GeneratedRecord[], partitions: number): Promise<WrittenBacklog> {
  if (how === 'batches') {
    await produceAll(kafka, topic, records);
    return { batches: Math.ceil(records.length / 500) * partitions }; // each request: one batch per partition (keys spread over all)
  }
  const summary = await sendGenerated({
    records,
    count: records.length,
    topic,
    bootstrap: cluster.bootstrapServers().join(','),
    rate: DEFAULT_CLI_RATE,
    lingerMs: how === 'generate-linger' ? BACKLOG_LINGER_MS : undefined,
    onLine: () => undefined,
  });
  if (summary.ok !== records.length) throw new Error(`generate: only ${summary.ok} of ${records.length} acknowledged`);
  return { batches: summary.batches };
}

/** Bytes of the topic's log segments on the first broker (every broker holds every partition at RF 3). */
export function logBytes(cluster: StartedCluster, topic: string): number | undefined {
  if (!cluster.runDir) return undefined;
  const data = join(cluster.runDir, 'kafka-1', 'data');
  let bytes = 0;
  try {
    for (const dir of readdirSync(data).filter((d) => d.startsWith(`${topic}-`) && /-\d+$/.test(d))) {
      for (const file of readdirSync(join(data, dir)).filter((f) => f.endsWith('.log'))) bytes += statSync(join(data, dir, file)).size;
    }
  } catch {
    return undefined;
  }
  return bytes;
}

/**
 * A plain consumer with the reference pipeline's fetch settings reads the topic to its end:
 * fetch batches handed to eachBatch and records/s from the first record to the last (no
 * processing, no transactions), so the consumer's share can be told from the pipeline's.
 */
export async function readThrough(kafka: Kafka, topic: string, records: number): Promise<{ batches: number; rate: number }> {
  const consumer = kafka.consumer({ groupId: `read-through-${topic}`, maxWaitTimeInMs: 300, minBytes: 256 * 1024, maxBytesPerPartition: 256 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let batches = 0;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.messages.length === 0) return;
        if (seen === 0) first = performance.now();
        batches += 1;
        seen += batch.messages.length;
        last = performance.now();
        if (seen >= records) resolve();
      },
    });
  });
  await done;
  await consumer.disconnect();
  return { batches, rate: seen / ((last - first) / 1000) };
}
