/**
 * A temporary table cut into ranges of rowids, so that a statement can run range by range and hold
 * one range's intermediate results at a time (a table's rowids run from 0 without gaps).
 */
import type { HistoryReader } from '../history/history-reader.ts';

/** SQL conditions on `column` (default `rowid`), one per range of `rows` rows of `table`; at least one, even for an empty table. */
export async function rowidSlices(history: HistoryReader, table: string, rows: number, column = 'rowid'): Promise<string[]> {
  const [{ n }] = (await history.query<{ n: number }>(`SELECT coalesce(max(rowid) + 1, 0)::BIGINT AS n FROM ${table}`)) as [{ n: number }];
  const slices: string[] = [];
  for (let from = 0; from === 0 || from < Number(n); from += rows) slices.push(`${column} >= ${from} AND ${column} < ${from + rows}`);
  return slices;
}
