import { Random } from '../random.ts';

/** Largest seed-derived step back from the run's start minute (exclusive), ms. */
export const EVENT_TIME_ORIGIN_MAX_OFFSET_MS = 180_000;

/**
 * Event time of the main workload's record 0: the run's start floored to the minute, minus a
 * seed-derived whole number of seconds below three minutes. Event times therefore sit near the
 * wall clock (a framework that compares event time with its own clock, or a topic's retention,
 * sees plausible times), and a replay that passes the recorded origin
 * (`--event-time-origin <ms>`, run_meta `workload.eventTimeOriginMs`) regenerates the same bytes.
 */
export function eventTimeOrigin(runStartMs: number, seed: number): number {
  const minute = Math.floor(runStartMs / 60_000) * 60_000;
  const back = new Random(seed).fork('event-time-origin').int(0, EVENT_TIME_ORIGIN_MAX_OFFSET_MS / 1000 - 1) * 1000;
  return minute - back;
}

/**
 * Event time "now" for extra records a fault sends mid-run (bursts): the main workload's
 * event-time high-water mark, or the origin before the workload has sent anything.
 */
export function eventTimeNow(highWaterMs: number, originMs: number): number {
  return highWaterMs > 0 ? highWaterMs : originMs;
}
