import { BUG_NAMES, type BugName } from '../../pipeline/operators/bugs.ts';

/**
 * Which checkers (or SLA metrics) should catch each planted bug, and the default-suite
 * scenarios whose load and faults make it observable. A bug counts as caught in a scenario
 * only when the run fails through one of its intended catchers: failing for another reason
 * (an SLA missed on a loaded machine) does not prove the checker works.
 */
export interface MutantPlan {
  catchers: string[];
  scenarios: string[];
}

export const MUTANT_PLAN: Record<BugName, MutantPlan> = {
  'commit-before-process': { catchers: ['lost'], scenarios: ['crash-restart'] },
  'no-dedupe': { catchers: ['duplicates'], scenarios: ['steady-baseline'] },
  'non-transactional-output': { catchers: ['duplicates'], scenarios: ['crash-restart'] },
  'ignore-watermark': { catchers: ['aggregates'], scenarios: ['steady-baseline'] },
  'drop-late-silently': { catchers: ['late'], scenarios: ['late-data-burst'] },
  // Only a wall-clock jump shows it: the watermark closes every window first while the clock is steady.
  'processing-time-windows': { catchers: ['aggregates'], scenarios: ['clock-jump'] },
  'poison-crash-loop': { catchers: ['lost'], scenarios: ['poison-flood'] },
  'drop-poison-silently': { catchers: ['conservation'], scenarios: ['poison-flood'] },
  'pii-leak': { catchers: ['pii'], scenarios: ['steady-baseline'] },
  'reorder-within-key': { catchers: ['order'], scenarios: ['steady-baseline'] },
  'lose-state-on-rebalance': { catchers: ['aggregates', 'duplicates'], scenarios: ['rebalance-storm'] },
  'drop-new-field': { catchers: ['fields', 'null-inflation'], scenarios: ['schema-drift', 'avro-evolution'] },
  'pii-in-header': { catchers: ['pii'], scenarios: ['steady-baseline'] },
  'bronze-outside-transaction': { catchers: ['duplicates'], scenarios: ['crash-restart'] },
  // Any restart skips what waited for it; the failover drill (scenarios/drills) shows it across sites.
  'restart-from-latest': { catchers: ['lost'], scenarios: ['crash-restart'] },
  // Only when a re-send meets a restart: crash-restart's hazards re-send events up to 20 s later.
  'dedupe-not-restored': { catchers: ['duplicates'], scenarios: ['crash-restart'] },
};

/** Every planted bug has a plan (a new bug without one fails the unit test). */
export function plannedBugs(): BugName[] {
  return BUG_NAMES.filter((b) => MUTANT_PLAN[b] !== undefined);
}
