import { join } from 'node:path';
import { notHolding } from '../../reports/index.ts';
import { EXIT, isHarnessError } from '../errors.ts';
import type { RunResult } from '../run/run-result.ts';
import { runScenario, type RunProgress } from '../run/run-scenario.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { Scenario } from '../../scenarios/model/scenario.ts';
import type { AttemptStage, ScheduleRunner } from './explore.ts';
import type { FaultSchedule } from './fault-schedule.ts';
import type { ExploreLab } from './reusable-lab.ts';
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
    const once = async (dir: string) => runScenario({ scenario, sut: this.options.sut, cluster: await lab.acquire(), seed: runSeed, runDir: dir, replayArgs: this.options.replayArgs, eventTimeOriginMs: this.options.eventTimeOriginMs, onProgress: this.options.onProgress });
    let result: RunResult;
    try {
      result = await once(runDir);
    } catch (error) {
      // An infrastructure error (a SUT that did not start, a lab that stopped answering) is not
      // a verdict: retry once on a fresh lab, and let a second one end the exploration.
      if (!isHarnessError(error) || error.exitCode !== EXIT.infrastructure) throw error;
      await lab.discard(`attempt ${attempt.index}: ${error.message}`);
      result = await once(`${runDir}-retry`);
    }
    // A lab start is reported on its own, not as overhead of the run that needed it.
    const wallMs = performance.now() - t0 - (lab.starts.length > starts ? lab.starts.at(-1)! : 0);
    this.overheads.push({ attempt: attempt.index, wallMs, scenarioMs: scenario.runDurationMs, overheadMs: wallMs - scenario.runDurationMs });
    return { verdict: result.verdict, problems: notHolding(result), runDir };
  };
}
