import { join } from 'node:path';
import { notHolding } from '../../reports/index.ts';
import type { RunProgress } from '../run/run-options.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { Scenario } from '../../scenarios/model/scenario.ts';
import type { AttemptStage, ScheduleRunner } from './explore.ts';
import type { FaultSchedule } from './fault-schedule.ts';
import type { ExploreLab } from './reusable-lab.ts';
import { runOnLab } from './run-on-lab.ts';
import { scheduledScenario } from './scheduled-scenario.ts';

export interface LabRunnerOptions {
  base: Scenario;
  /** The SUT as described. */
  sut: SutConfig;
  lab: ExploreLab;
  /** Attempt run dirs go here: `attempt-007-shrink/`. */
  dir: string;
  /** Every attempt runs with this seed: the same workload, so only the schedule differs. */
  runSeed: number;
  /** Every attempt stamps event times from this origin too: the same bytes each time. */
  eventTimeOriginMs?: number;
  replayArgs?: string[];
  onProgress?: (progress: RunProgress) => void;
  /** Lines about the lab (a run's topics that could not be deleted). */
  onLine?: (line: string) => void;
}

/** Time around the scenario itself: lab check, SUT start, drain, final scan, judging. */
export interface RunOverhead {
  attempt: number;
  wallMs: number;
  scenarioMs: number;
  overheadMs: number;
}

/** Runs explored schedules on a reused lab, one `runScenario` each, measuring the per-run overhead. */
export class LabRunner {
  readonly overheads: RunOverhead[] = [];

  constructor(private readonly options: LabRunnerOptions) {}

  readonly run: ScheduleRunner = async (schedule: FaultSchedule, attempt: { index: number; stage: AttemptStage }) => {
    const { base, runSeed } = this.options;
    const scenario = scheduledScenario(base, schedule, {
      name: `${base.name}-explored`,
      description: `${base.description} (explored schedule, attempt ${attempt.index})`,
      seed: runSeed,
    });
    const runDir = join(this.options.dir, `attempt-${String(attempt.index).padStart(3, '0')}-${attempt.stage}`);
    const { lab } = this.options;
    const t0 = performance.now();
    const starts = lab.starts.length;
    const result = await runOnLab(lab, { scenario, sut: this.options.sut, seed: runSeed, runDir, replayArgs: this.options.replayArgs, eventTimeOriginMs: this.options.eventTimeOriginMs, onProgress: this.options.onProgress }, `attempt ${attempt.index}`, this.options.onLine ?? (() => undefined));
    // A lab start is reported on its own, not as overhead of the run that needed it.
    const wallMs = performance.now() - t0 - (lab.starts.length > starts ? lab.starts.at(-1)! : 0);
    this.overheads.push({ attempt: attempt.index, wallMs, scenarioMs: scenario.runDurationMs, overheadMs: wallMs - scenario.runDurationMs });
    return { verdict: result.verdict, problems: notHolding(result), runDir };
  };
}
