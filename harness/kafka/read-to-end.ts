import type { Kafka, KafkaMessage } from 'kafkajs';
import { HarnessError } from '../errors.ts';

export interface ReadToEndOptions {
  /** Only these partitions (default: all). */
  partitions?: number[];
  timeoutMs?: number;
  readUncommitted?: boolean;
}

/**
 * Reads a topic from the beginning up to its end as of the call (read_committed by default),
 * with a throwaway consumer group. The end: every partition's last record is at `high - 1`,
 * or (since transaction markers also take offsets, so the last record can sit below it)
 * every partition with data has delivered a batch and nothing came for a second. A slow group
 * join never ends the read early.
 */
export async function readToEnd(kafka: Kafka, topic: string, onMessage: (partition: number, message: KafkaMessage) => void, options: ReadToEndOptions = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const wanted = options.partitions ? new Set(options.partitions) : undefined;
  const high = new Map(offsets.filter((o) => (!wanted || wanted.has(o.partition)) && Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]));
  if (high.size === 0) return;
  const consumer = kafka.consumer({ groupId: `streamproof-read-${topic}-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100, readUncommitted: options.readUncommitted ?? false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const complete = new Set<number>();
      const delivered = new Set<number>();
      let lastBatchAt = 0;
      const started = Date.now();
      const finish = () => {
        clearInterval(poll);
        resolve();
      };
      const poll = setInterval(() => {
        const quiet = lastBatchAt > 0 && Date.now() - lastBatchAt > 1000;
        if (complete.size === high.size || (quiet && delivered.size === high.size)) finish();
        // Partitions whose records were all aborted deliver nothing under read_committed.
        else if (Date.now() - started > 15_000 && (lastBatchAt === 0 || Date.now() - lastBatchAt > 3000)) finish();
        else if (Date.now() - started > (options.timeoutMs ?? 120_000)) {
          clearInterval(poll);
          reject(new HarnessError('TIMEOUT', `reading ${topic} to its end took over ${(options.timeoutMs ?? 120_000) / 1000}s`));
        }
      }, 100);
      void consumer
        .run({
          eachBatch: async ({ batch }) => {
            const end = high.get(batch.partition);
            if (end === undefined) return;
            lastBatchAt = Date.now();
            delivered.add(batch.partition);
            for (const message of batch.messages) {
              if (Number(message.offset) >= end) break;
              onMessage(batch.partition, message);
              if (Number(message.offset) + 1 >= end) complete.add(batch.partition);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
