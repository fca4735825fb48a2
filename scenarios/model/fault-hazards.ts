import type { PoisonKind } from '../../generators/options.ts';

/**
 * The data hazards every process-fault scenario of the default suite carries, so that each
 * fault meets each hazard: a mistake that only shows when a re-send, a poison record, a late
 * event or a window-boundary event meets a crash, a rebalance or a failover is exercised.
 */
export const FAULT_HAZARDS = {
  maxDisorderMs: 2000,
  duplicateFraction: 0.02,
  // The re-send delay: a re-send repeats one of the last 2,000 events, up to 20 s later at
  // 100 events/s, so re-sends of events processed before a fault arrive after it.
  duplicateWindow: 2000,
  // Poison in flight; kinds the broker accepts (an oversized record is refused by the broker).
  poisonFraction: 0.01,
  poisonKinds: ['malformed-json', 'wrong-type', 'missing-field', 'unknown-schema-version'] as PoisonKind[],
  // 30-60 s behind the newest event: behind a 30 s grace, so late for the SUTs we ship.
  lateFraction: 0.01,
  latenessBoundMs: 30_000,
  // Half of the events that can be stamped on a 60 s window boundary are.
  boundaryFraction: 0.5,
  boundaryWindowMs: 60_000,
};
