import type { IHeaders, Kafka } from 'kafkajs';

export interface ReadRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  return out;
}

/** Reads every committed record of a topic (read_committed), up to its end at call time. */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const records: ReadRecord[] = [];
  if (ends.every((e) => Number(e.high) === Number(e.low))) return records;
  const consumer = kafka.consumer({ groupId: `read-${topic}-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let last = Date.now();
  await new Promise<void>((resolve) => {
    const started = Date.now();
    const check = setInterval(() => {
      // Commit markers take offsets too, so "quiet for 2 s" ends the read as well.
      if (Date.now() - last > 2000 || Date.now() - started > timeoutMs) {
        clearInterval(check);
        resolve();
      }
    }, 200);
    void consumer.run({
      eachBatch: async ({ batch }) => {
        last = Date.now();
        for (const m of batch.messages) {
          records.push({ partition: batch.partition, offset: Number(m.offset), key: m.key?.toString() ?? null, value: m.value, headers: headerText(m.headers) });
        }
      },
    });
  });
  await consumer.disconnect();
  return records;
}
