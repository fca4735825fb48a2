import type { HistoryWriter } from '../history/history-writer.ts';
import { DR_OFFSET_BASE } from './drill-meta.ts';

/** The history as the DR site's observers write it: every observed offset moved by DR_OFFSET_BASE (drill-meta.ts). */
export function drHistory(history: HistoryWriter): HistoryWriter {
  return new Proxy(history, {
    get(target, property) {
      if (property === 'recordObserved') {
        return (row: Parameters<HistoryWriter['recordObserved']>[0]) => target.recordObserved({ ...row, offset: row.offset + DR_OFFSET_BASE });
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
