import type { FaultTiming } from './fault-kinds.ts';

/** One fault on the run's time line, hand-written (`faults`) or drawn from a `faultMix`. */
export interface ScheduledFault {
  type: string;
  /** Where it came from, for messages and reports: `faults[2]`, `faultMix#3`. */
  origin: string;
  /** When, as written (`'20s'`, `'phase:fault+5s'`), or the drawn offset of a mix fault. */
  at: string | number;
  /** Offset of the start from the start of the run. */
  startMs: number;
  /** How long it lasts (lasting faults) or is spread over (bursts); undefined when instantaneous. */
  durationMs: number | undefined;
  /** When it is healed, or its burst ends; equals `startMs` when instantaneous. */
  endMs: number;
  timing: FaultTiming;
  /** The attributes as written (plain data, for reports). */
  attrs: Record<string, unknown>;
  /** The attributes as the fault type parsed them (what its `start` takes). */
  parsed: unknown;
}
