import type { IHeaders, Kafka } from 'kafkajs';
import { readToEnd } from '../kafka/read-to-end.ts';

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

/** Every committed record of a topic, up to its end at call time. */
export async function readTopic(kafka: Kafka, topic: string): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  await readToEnd(kafka, topic, (partition, m) => {
    records.push({ partition, offset: Number(m.offset), key: m.key?.toString() ?? null, value: m.value, headers: headerText(m.headers) });
  });
  return records;
}
