/**
 * The open-model scheduler: sends start when the rate profile says they are due, however
 * slow the cluster is. A due arrival finds either a free in-flight slot (it starts now) or
 * none (it is *missed*: counted and dropped, like k6's dropped_iterations, never queued, so
 * a slow cluster cannot make the offered load fall behind and then burst to catch up).
 * A missed arrival takes no item from the source: every item pulled is sent exactly once.
 *
 * Arrivals due within one tick are started together, so the caller can batch them
 * (one Kafka request for many sends). A stalled event loop is caught up at the next tick:
 * the arrivals are late, not missed, unless the in-flight bound is reached.
 */
import type { RateSchedule } from './rate-profile.ts';
import { realClock, type WorkloadClock } from './workload-clock.ts';

export interface ArrivalLoopOptions<T> {
  schedule: RateSchedule;
  clock?: WorkloadClock;
  /** Most sends started and not yet settled. */
  maxInFlight: number;
  /** Sleep between ticks when arrivals are closer together than this (ms). */
  tickMs: number;
  /** Start no send after this long (ms from the start); default: the profile's end. */
  durationMs?: number;
  /** Start at most this many sends; default: until the source runs out. */
  count?: number;
  /** Takes up to `n` items from the source; returning fewer means it is exhausted. */
  pull(n: number): T[];
  /** Starts sending `items`; calls `release(k)` once k of them have an outcome. Must not throw. */
  dispatch(items: T[], release: (count: number) => void): void;
  /**
   * Most arrivals handled in one go (default unlimited): a backlog larger than this (after a
   * stall, or at very high rates) is worked off in slices with the event loop free in between,
   * so acknowledgements keep being processed (and slots freed) while it is.
   */
  maxPerTick?: number;
  /** Polled every tick; true ends the loop early. */
  stopRequested?: () => boolean;
}

export interface ArrivalStats {
  /** ms since run() began. */
  elapsedMs: number;
  /** Arrivals accounted for so far: started + missed. */
  arrivals: number;
  started: number;
  missed: number;
  inFlight: number;
}

export type ArrivalEnd = 'source' | 'count' | 'duration' | 'stopped';

/** Tolerance for the float sums of ramps: an expected count of 99.9999999999 is 100. */
const EPSILON = 1e-6;

export class ArrivalLoop<T> {
  private readonly clock: WorkloadClock;
  private readonly endMs: number;
  private readonly count: number;
  private readonly maxPerTick: number;
  private backlog = false;
  private startMs = 0;
  private arrivals = 0;
  private started = 0;
  private missed = 0;
  private inFlight = 0;
  private readonly release = (count: number) => {
    this.inFlight -= count;
  };

  constructor(private readonly options: ArrivalLoopOptions<T>) {
    this.clock = options.clock ?? realClock;
    this.endMs = Math.min(options.durationMs ?? Infinity, options.schedule.endMs);
    this.count = options.count ?? Infinity;
    this.maxPerTick = options.maxPerTick ?? Infinity;
  }

  stats(): ArrivalStats {
    return {
      elapsedMs: this.clock.nowMs() - this.startMs,
      arrivals: this.arrivals,
      started: this.started,
      missed: this.missed,
      inFlight: this.inFlight,
    };
  }

  /** Runs until the source, the count or the duration runs out (or a stop is requested). */
  async run(): Promise<ArrivalEnd> {
    const { schedule, tickMs, stopRequested } = this.options;
    this.startMs = this.clock.nowMs();
    for (;;) {
      if (stopRequested?.()) return 'stopped';
      const elapsed = this.clock.nowMs() - this.startMs;
      const ended = elapsed >= this.endMs;
      const end = this.startDue(ended ? this.endMs : elapsed, ended);
      if (end) return end;
      if (this.backlog) {
        await this.clock.sleep(0);
        continue;
      }
      if (ended) return 'duration';
      // Sleep until the next arrival, but at least a tick (arrivals closer than that are batched).
      const next = schedule.timeOf(this.arrivals);
      const wake = Math.min(Math.max(next, elapsed + tickMs), this.endMs);
      await this.clock.sleep(wake - elapsed);
    }
  }

  /** Starts (or misses) every arrival due by `horizon`; says why the run ends, if it does. */
  private startDue(horizon: number, final: boolean): ArrivalEnd | undefined {
    const expected = this.options.schedule.expectedBy(horizon);
    // Arrivals at times < endMs at the end; at times <= horizon before it (arrival 0 is at t = 0).
    const dueTotal = final ? Math.ceil(expected - EPSILON) : Math.floor(expected + EPSILON) + 1;
    const due = Math.min(dueTotal - this.arrivals, this.maxPerTick);
    this.backlog = dueTotal - this.arrivals > due;
    if (due <= 0) return undefined;
    const wanted = Math.min(due, this.count - this.started);
    const take = Math.min(wanted, Math.max(0, this.options.maxInFlight - this.inFlight));
    const items = take > 0 ? this.options.pull(take) : [];
    this.arrivals += due;
    this.missed += wanted - take;
    this.started += items.length;
    this.inFlight += items.length;
    if (items.length > 0) this.options.dispatch(items, this.release);
    if (items.length < take) return 'source';
    if (this.started >= this.count) return 'count';
    return undefined;
  }
}
