/**
 * The clock the arrival loop reads and sleeps on: injected, so the scheduler can be tested
 * without timers; the real one is monotonic (performance.now), as the history's clock is.
 */
export interface WorkloadClock {
  /** Monotonic milliseconds (any origin). */
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: WorkloadClock = {
  nowMs: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
