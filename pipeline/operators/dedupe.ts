import { HarnessError } from '../../harness/errors.ts';
import { NO_BUGS, type BugName } from './bugs.ts';

export interface DeduperOptions {
  /**
   * How long (event time) an id is remembered behind the watermark: `evict(w)` forgets ids
   * whose event time is < w - retentionMs. Keep it >= the window size so an id that is
   * forgotten can only come back as a late event (its window is already closed).
   */
  retentionMs: number;
  /** Only 'no-dedupe' applies: every event is reported as first seen. */
  bugs?: ReadonlySet<BugName>;
}

/** The remembered ids with their event times, sorted by (time, id): a changelog value. */
export interface DeduperState {
  entries: Array<[eventId: string, eventTimeMs: number]>;
}

export type DedupeVerdict = 'first' | 'duplicate';

/**
 * Exact dedupe by event_id with retention bounded in event time. Remembers each first-seen id
 * with its event time; `evict(watermark)` forgets ids older than watermark - retentionMs (a
 * min-heap makes that O(log n) per id). Deterministic; `snapshot`/`restore` round-trip exactly.
 */
export class Deduper {
  readonly retentionMs: number;
  private readonly bugs: ReadonlySet<BugName>;
  private readonly times = new Map<string, number>();
  private readonly heap: Array<[number, string]> = [];

  constructor(options: DeduperOptions) {
    if (!Number.isFinite(options.retentionMs) || options.retentionMs < 0) {
      throw new HarnessError('CONFIG_INVALID', `Deduper: 'retentionMs' must be a finite number >= 0, got ${String(options.retentionMs)}`, {
        context: { option: 'retentionMs', value: options.retentionMs },
      });
    }
    this.retentionMs = options.retentionMs;
    this.bugs = options.bugs ?? NO_BUGS;
  }

  /** Records the id and tells whether it was already remembered. */
  check(eventId: string, eventTimeMs: number): DedupeVerdict {
    if (this.bugs.has('no-dedupe')) return 'first';
    if (this.times.has(eventId)) return 'duplicate';
    this.times.set(eventId, eventTimeMs);
    this.push([eventTimeMs, eventId]);
    return 'first';
  }

  has(eventId: string): boolean {
    return this.times.has(eventId);
  }

  get size(): number {
    return this.times.size;
  }

  /** Forgets ids with event time < watermarkMs - retentionMs; returns how many. */
  evict(watermarkMs: number): number {
    const horizon = watermarkMs - this.retentionMs;
    let evicted = 0;
    while (this.heap.length > 0 && this.heap[0]![0] < horizon) {
      const [, id] = this.pop();
      this.times.delete(id);
      evicted++;
    }
    return evicted;
  }

  snapshot(): DeduperState {
    const entries = [...this.times.entries()];
    entries.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { entries };
  }

  /** Replaces the remembered ids with a snapshot's. */
  restore(state: DeduperState): void {
    this.times.clear();
    this.heap.length = 0;
    for (const [id, time] of state.entries) {
      if (this.times.has(id)) continue;
      this.times.set(id, time);
      this.push([time, id]);
    }
  }

  private push(item: [number, string]): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (less(h[parent]!, h[i]!)) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private pop(): [number, string] {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: [number, string], b: [number, string]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
