/**
 * `run --repeat K`: a scenario that failed runs again, with the same seed and the same
 * event-time origin, at most K more times, each attempt into a run dir of its own. It stops at
 * the first attempt that does not fail: the scenario is then flaky (Surefire's
 * rerunFailingTestsCount, where a rerun that passes makes a flaky test). Every attempt failing
 * keeps it a failure.
 */
import { join } from 'node:path';
import { EXIT, isHarnessError } from '../errors.ts';
import { attemptDir, attemptOf, repeatVerdict, writeAttempts } from './run-attempts.ts';
import type { RunAttempt, RunResult } from './run-result.ts';

export interface RepeatFailingOptions {
  first: RunResult;
  /** More attempts at most (`--repeat K`); 0 runs nothing more. */
  repeat: number;
  /** Runs attempt `attempt` (2, 3, ...) into `runDir` with the first attempt's seed and event-time origin. */
  runAttempt: (attempt: number, runDir: string) => Promise<RunResult>;
  /** Called as each further attempt ends (progress, its reports). */
  onAttempt?: (attempt: RunAttempt, result: RunResult | undefined) => Promise<void> | void;
}

/** The scenario's result: the first attempt's, with the verdict over all attempts and the attempts listed. */
export async function repeatFailing(o: RepeatFailingOptions): Promise<RunResult> {
  if (o.first.verdict !== 'fail' || o.repeat <= 0) return o.first;
  const attempts: RunAttempt[] = [attemptOf(o.first, 1)];
  for (let n = 2; n <= o.repeat + 1; n++) {
    const dir = attemptDir(n);
    let attempt: RunAttempt;
    let result: RunResult | undefined;
    try {
      result = await o.runAttempt(n, join(o.first.runDir, dir));
      attempt = attemptOf(result, n);
    } catch (error) {
      // A lab or SUT that could not run this attempt: recorded, and no more attempts.
      if (!isHarnessError(error) || error.exitCode !== EXIT.infrastructure) throw error;
      attempt = { attempt: n, dir, verdict: 'error', failed: [], error: error.toLine() };
    }
    attempts.push(attempt);
    await o.onAttempt?.(attempt, result);
    if (attempt.verdict !== 'fail') break;
  }
  const verdict = repeatVerdict(attempts);
  await writeAttempts(o.first.runDir, { verdict, attempts });
  return { ...o.first, verdict, attempts };
}
