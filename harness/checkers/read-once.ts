/**
 * Whether no record of `observed` rows matching `where` was read twice (the same topic, partition
 * and offset). A record read twice is one record to every checker, so their queries group rows by
 * position; when none was, they can skip that grouping and carry no value through a hash table.
 */
import type { HistoryReader } from '../history/history-reader.ts';

export async function readOnce(history: HistoryReader, where: string): Promise<boolean> {
  const [row] = await history.query<{ once: boolean }>(`SELECT count(*) = count(DISTINCT (topic, partition, "offset")) AS once FROM observed WHERE ${where}`);
  return row?.once ?? true;
}
