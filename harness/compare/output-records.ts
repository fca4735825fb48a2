/**
 * A SUT's outputs as the record diff sees them, read from its history's final scan (roles
 * other than `*-live`, which hold the same records seen earlier): one list per topic, named
 * by the topic as the SUT describes it (the run's prefix removed), so both sides line up.
 * Key = the Kafka record key (the reference pipeline keys gold by partition|window|region and
 * silver by order); position = the offset; event time = the window end, else the event time,
 * else the Kafka timestamp. DLQ records (raw bytes) are compared as their text and reason.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { OutputRecord } from './record-diff.ts';

/** Roles whose records are compared; bronze is a raw copy of the input and not compared. */
export const COMPARED_ROLES = ['records', 'aggregate', 'dlq', 'late'] as const;

interface ObservedRow {
  role: string;
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string> | null;
  kafka_ts_ms: number | null;
}

function parseValue(bytes: Buffer | null): unknown {
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function eventTimeOf(value: unknown, kafkaTsMs: number | null): number {
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.window_end_ms === 'number') return v.window_end_ms;
    if (typeof v.event_time_ms === 'number') return v.event_time_ms;
  }
  return kafkaTsMs ?? 0;
}

/** The diffable form of one observed record. */
export function toOutputRecord(row: Pick<ObservedRow, 'role' | 'offset' | 'key' | 'value' | 'headers' | 'kafka_ts_ms'>): OutputRecord {
  const parsed = parseValue(row.value);
  const value = row.role === 'dlq' ? { value: parsed, reason: row.headers?.['sp-dlq-reason'] ?? null } : parsed;
  // A DLQ record of a poison event may have no key: its event id says which input it was.
  const key = row.key ?? (row.role === 'dlq' ? (row.headers?.['sp-event-id'] ?? null) : null);
  return { key, value, position: row.offset, eventTimeMs: eventTimeOf(parsed, row.kafka_ts_ms) };
}

/** Records per described topic name: `<prefix>orders.gold.v1` → `orders.gold.v1`. */
export async function readOutputRecords(history: HistoryReader, topicPrefix: string): Promise<Map<string, OutputRecord[]>> {
  const roles = COMPARED_ROLES.map((r) => `'${r}'`).join(', ');
  // The final scan reads each record once; DISTINCT guards a scan that was retried.
  const rows = await history.query<ObservedRow>(
    `SELECT DISTINCT ON (topic, partition, "offset") role, topic, partition, "offset" AS offset, key, value, headers, kafka_ts_ms
     FROM observed WHERE role IN (${roles}) ORDER BY topic, partition, "offset"`,
  );
  const byTopic = new Map<string, OutputRecord[]>();
  for (const row of rows) {
    const name = row.topic.startsWith(topicPrefix) ? row.topic.slice(topicPrefix.length) : row.topic;
    let list = byTopic.get(name);
    if (!list) byTopic.set(name, (list = []));
    list.push(toOutputRecord(row));
  }
  return byTopic;
}

/** The last event time a side reached on a topic: the largest event time among its records. */
export function lastEventTime(records: readonly OutputRecord[]): number | null {
  let last: number | null = null;
  for (const r of records) if (last === null || r.eventTimeMs > last) last = r.eventTimeMs;
  return last;
}
