/**
 * Property-based chaos: fast-check draws fault schedules from a mix, each one is run (on the
 * lab, through `run`), a failing verdict falsifies the property, and fast-check's shrinking
 * re-runs simpler candidates until none fails any more or the time budget is spent. The
 * minimal schedule is then re-run `confirmRuns` times: one pass among them makes it flaky.
 */
import fc from 'fast-check';
import type { Verdict } from '../run/run-result.ts';
import type { ExploreMix } from './explore-mix.ts';
import type { FaultSchedule } from './fault-schedule.ts';
import { scheduleArbitrary } from './schedule-arbitrary.ts';

export type AttemptStage = 'search' | 'shrink' | 'confirm';

/** What one run of a schedule said. */
export interface AttemptOutcome {
  verdict: Verdict;
  /** What did not hold (checkers, SLAs), one short line. */
  problems: string;
  runDir?: string;
}

export interface Attempt extends AttemptOutcome {
  /** 1-based, over the whole exploration. */
  index: number;
  stage: AttemptStage;
  schedule: FaultSchedule;
  /** When it started, from the start of the exploration, and how long it took. */
  startedMs: number;
  wallMs: number;
  /** The same schedule ran before in this exploration: its verdict was reused, nothing ran. */
  cached?: boolean;
}

/** Runs one schedule (on the lab, in the CLI; a model in unit tests). An error aborts the exploration. */
export type ScheduleRunner = (schedule: FaultSchedule, attempt: { index: number; stage: AttemptStage }) => Promise<AttemptOutcome>;

export interface ExploreOptions {
  mix: ExploreMix;
  /** fast-check's seed: the same seed draws the same schedules. */
  seed: number;
  /** A fast-check path (`3:1:0`) printed by an earlier exploration: start from that schedule. */
  path?: string;
  /** Schedules to draw before giving up (shrink runs are not counted). */
  runs: number;
  /** Time for search and shrinking together; what is left of the shrinking then is skipped. */
  budgetMs: number;
  /** Re-runs of the minimal schedule to tell a real failure from a flaky one. */
  confirmRuns: number;
  /** Default true; false stops at the first failing schedule (fast-check's `endOnFailure`). */
  shrink?: boolean;
  run: ScheduleRunner;
  onAttempt?: (attempt: Attempt) => void;
  /** Milliseconds, monotonic (default `performance.now`). */
  clock?: () => number;
}

export type ExploreOutcome = 'nothing-found' | 'minimal' | 'flaky';

export interface ExploreResult {
  seed: number;
  /** The path the exploration started from (`--path`), if any. */
  startPath: string | null;
  outcome: ExploreOutcome;
  /** The budget ran out before search or shrinking was done. */
  budgetExhausted: boolean;
  attempts: Attempt[];
  /** The first failing schedule, as drawn, and the fast-check path that replays it. */
  original: Attempt | null;
  originalPath: string | null;
  /** The smallest failing schedule and the fast-check path that replays it. */
  minimal: { attempt: Attempt; path: string } | null;
  /** Candidates tried while shrinking: a failing one is a step taken, a passing one a step refused. */
  shrinkLog: { attempt: number; schedule: FaultSchedule; verdict: Verdict; taken: boolean; cached?: boolean }[];
  /** Verdicts of the re-runs of the minimal schedule. */
  confirmations: Verdict[];
  timings: { foundAtMs: number | null; shrunkAtMs: number | null; totalMs: number };
}

export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const clock = options.clock ?? (() => performance.now());
  const t0 = clock();
  const attempts: Attempt[] = [];
  let aborted: { error: unknown } | undefined;
  let budgetExhausted = false;
  let failed = false;

  // Shrinking often reaches one schedule twice (different draws can lay out alike, and a
  // refused candidate comes back): a lab run is costly, so search and shrink reuse a verdict.
  const seen = new Map<string, AttemptOutcome>();
  const runOne = async (schedule: FaultSchedule, stage: AttemptStage): Promise<Attempt> => {
    const startedMs = clock() - t0;
    const key = JSON.stringify(schedule);
    const known = stage === 'confirm' ? undefined : seen.get(key);
    const outcome = known ?? (await options.run(schedule, { index: attempts.length + 1, stage }));
    if (!known) seen.set(key, outcome);
    const attempt: Attempt = { ...outcome, index: attempts.length + 1, stage, schedule, startedMs, wallMs: clock() - t0 - startedMs, ...(known ? { cached: true } : {}) };
    attempts.push(attempt);
    options.onAttempt?.(attempt);
    return attempt;
  };

  // Runs are never cut short: past the budget (or after an error) the property holds at once,
  // so fast-check ends its search or its shrinking with what it has, without running anything.
  const property = fc.asyncProperty(scheduleArbitrary(options.mix), async (schedule) => {
    if (aborted) return true;
    if (clock() - t0 >= options.budgetMs) {
      budgetExhausted = true;
      return true;
    }
    try {
      const attempt = await runOne(schedule, failed ? 'shrink' : 'search');
      if (attempt.verdict === 'fail') failed = true;
      return attempt.verdict !== 'fail';
    } catch (error) {
      aborted = { error };
      return true;
    }
  });
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.runs,
    ...(options.path === undefined ? {} : { path: options.path }),
    endOnFailure: options.shrink === false,
  });
  if (aborted) throw aborted.error;
  const searchEndMs = clock() - t0;

  const first = attempts.findIndex((a) => a.verdict === 'fail');
  const original = first === -1 ? null : attempts[first]!;
  const shrinkLog = first === -1 ? [] : attempts.slice(first + 1).map((a) => ({ attempt: a.index, schedule: a.schedule, verdict: a.verdict, taken: a.verdict === 'fail', ...(a.cached ? { cached: true } : {}) }));
  // fast-check's counterexample, as the attempt that actually ran it (not a cached echo).
  const counterexample = details.failed && details.counterexample ? JSON.stringify(details.counterexample[0]) : undefined;
  const ran = attempts.find((a) => !a.cached && a.verdict === 'fail' && JSON.stringify(a.schedule) === counterexample);
  const minimal = ran && details.counterexamplePath !== null ? { attempt: ran, path: details.counterexamplePath } : null;

  const confirmations: Verdict[] = [];
  if (minimal) {
    for (let i = 0; i < options.confirmRuns; i++) confirmations.push((await runOne(minimal.attempt.schedule, 'confirm')).verdict);
  }
  const flaky = confirmations.some((v) => v !== 'fail');
  return {
    seed: options.seed,
    startPath: options.path ?? null,
    outcome: minimal === null ? 'nothing-found' : flaky ? 'flaky' : 'minimal',
    budgetExhausted,
    attempts,
    original,
    // The first segment of a path is the drawn value; a replay starts at the path it was given.
    originalPath: minimal ? (options.path ?? minimal.path.split(':')[0]!) : null,
    minimal,
    shrinkLog,
    confirmations,
    timings: { foundAtMs: original ? original.startedMs + original.wallMs : null, shrunkAtMs: minimal ? searchEndMs : null, totalMs: clock() - t0 },
  };
}
