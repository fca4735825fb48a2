import type { HistoryWriter } from '../history/history-writer.ts';
import { DR_OFFSET_BASE } from './drill-meta.ts';

type ObservedRow = Parameters<HistoryWriter['recordObserved']>[0];

/** The history with every observed row passed through `map` first (the rest as it is). */
export function mapObserved(history: HistoryWriter, map: (row: ObservedRow) => ObservedRow): HistoryWriter {
  return new Proxy(history, {
    get(target, property) {
      if (property === 'recordObserved') return (row: ObservedRow) => target.recordObserved(map(row));
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The row as a second copy of the output records it: its offset moved by DR_OFFSET_BASE (drill-meta.ts). */
export const asSecondCopy = (row: ObservedRow): ObservedRow => ({ ...row, offset: row.offset + DR_OFFSET_BASE });

/** The history as the DR site's observers write it. */
export const drHistory = (history: HistoryWriter): HistoryWriter => mapObserved(history, asSecondCopy);
