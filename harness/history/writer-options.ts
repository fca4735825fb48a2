/** Options and statistics of the history writer. */
import type { HarnessError } from '../errors.ts';
import { historyError } from './history-error.ts';

export interface HistoryWriterOptions {
  /** How often buffered rows are committed; the most a crash can lose. Default 200. */
  flushIntervalMs?: number;
  /** WAL size that triggers a background CHECKPOINT. Default 64 MiB. */
  checkpointWalBytes?: number;
  /** Called after each flush that committed rows (e.g. to report progress). */
  onFlush?: (stats: HistoryWriterStats) => void;
  /** Called when a timed flush or a checkpoint fails (a failed flush also fails the writer). */
  onError?: (error: HarnessError) => void;
}

export interface TableCounts {
  sends: number;
  observed: number;
  metrics: number;
}

export interface HistoryWriterStats {
  /** Rows committed per appended table. */
  committed: TableCounts;
  /** Rows waiting for the next flush per appended table. */
  buffered: TableCounts;
  flushes: number;
  checkpoints: number;
  /** Event-loop time taken by the last / the longest / all flushes, in ms. */
  lastFlushMs: number;
  maxFlushMs: number;
  totalFlushMs: number;
}

export type ResolvedWriterOptions = HistoryWriterOptions &
  Required<Pick<HistoryWriterOptions, 'flushIntervalMs' | 'checkpointWalBytes'>>;

/** Applies defaults; a bad value fails at once. */
export function resolveWriterOptions(options: HistoryWriterOptions): ResolvedWriterOptions {
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const checkpointWalBytes = options.checkpointWalBytes ?? 64 * 1024 * 1024;
  if (!(Number.isFinite(flushIntervalMs) && flushIntervalMs > 0)) {
    throw historyError(`flushIntervalMs must be a positive number, got ${flushIntervalMs}`);
  }
  if (!(Number.isFinite(checkpointWalBytes) && checkpointWalBytes > 0)) {
    throw historyError(`checkpointWalBytes must be a positive number, got ${checkpointWalBytes}`);
  }
  return { ...options, flushIntervalMs, checkpointWalBytes };
}
