import type { RateSearchOptions, SearchStage } from './rate-search.ts';
import type { StepJudgement, StepMeasure } from './step-judgement.ts';
import type { StepTiming } from './step-scenario.ts';

/** One step of a capacity search as run and judged. */
export interface CapacityStep {
  index: number;
  stage: SearchStage;
  rate: number;
  measure: StepMeasure;
  judgement: StepJudgement;
  /** The step's run verdict (its lost/duplicates checkers): evidence, not the step's judgement. */
  verdict: string;
  lost: number | null;
  duplicates: number | null;
  runDir: string;
  /** The step's wall time, a lab start excluded. */
  wallMs: number;
  /**
   * The machine's 1-minute load average over the measured window (mean of once-a-second
   * readings; null off Linux). Evidence, not judged: on a shared machine other jobs move the
   * knee (on this 2-core machine the CPU is 100% busy at any rate; the run queue says how busy).
   */
  load: number | null;
}

/** Why the search stopped. */
export type CapacityStop = 'resolved' | 'max-rate' | 'nothing-passed' | 'budget';

/** What `streamproof capacity` found (written to `<dir>/capacity.json`). */
export interface CapacityResult {
  base: string;
  sut: string;
  seed: number;
  eventTimeOriginMs: number;
  search: RateSearchOptions;
  timing: StepTiming;
  budgetMs: number;
  steps: CapacityStep[];
  /** The highest rate that held (events/s), null when none did. */
  kneeEps: number | null;
  /** The lowest rate that failed, when one did. */
  firstFailEps: number | null;
  stop: CapacityStop;
  /** The user's cluster (`--provider external`: its bootstrap servers); absent for a lab the search started. */
  cluster?: string;
  wallMs: number;
  replay: string;
  dir: string;
}

export function kneeStep(result: CapacityResult): CapacityStep | undefined {
  return result.kneeEps === null ? undefined : result.steps.find((s) => s.rate === result.kneeEps && s.judgement.passed);
}
