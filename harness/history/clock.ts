/**
 * The history's clock: epoch microseconds, anchored once to the wall clock and advanced by
 * the monotonic `performance.now()`. Readings never go backwards within a process, even if
 * the wall clock is stepped (NTP) during a run; across processes they agree to within the
 * wall clock's error at each process's start.
 */
const anchorWallUs = Date.now() * 1000;
const anchorMonoMs = performance.now();

/** Microseconds since the Unix epoch, as an integer (safe in a double until year 2255). */
export function nowUs(): number {
  return anchorWallUs + Math.round((performance.now() - anchorMonoMs) * 1000);
}

/** The wall-clock reading (epoch µs) this process's clock was anchored to. */
export function clockAnchorUs(): number {
  return anchorWallUs;
}

/** Epoch microseconds to epoch milliseconds (floored). */
export function usToMs(us: number): number {
  return Math.floor(us / 1000);
}

/** Epoch milliseconds (e.g. a Kafka timestamp) to epoch microseconds. */
export function msToUs(ms: number): number {
  return ms * 1000;
}
