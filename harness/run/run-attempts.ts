/**
 * The attempts of one scenario under `run --repeat`: the first is the scenario's run dir, each
 * later one a full run dir of its own in `attempt-<n>/` inside it. `attempts.json` beside the
 * first attempt's verdict.json holds the scenario's verdict over all of them (verdict.json stays
 * what its own history was judged to be), so reports are written again from the run dir alone.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import type { RunAttempt, RunResult } from './run-result.ts';

export const ATTEMPTS_FILE = 'attempts.json';

/** What attempts.json holds. */
export interface AttemptsRecord {
  verdict: 'fail' | 'flaky';
  attempts: RunAttempt[];
}

export const attemptDir = (attempt: number): string => (attempt === 1 ? '.' : `attempt-${attempt}`);

/** What did not hold in a judged run: failed checkers, then failed SLAs. */
export function failedParts(result: Pick<RunResult, 'checks' | 'slas'>): string[] {
  return [...result.checks.filter((c) => c.valid === false).map((c) => c.checker), ...result.slas.filter((s) => s.passed === false).map((s) => `${s.scope}: ${s.threshold}`)];
}

export function attemptOf(result: RunResult, attempt: number): RunAttempt {
  if (result.verdict === 'flaky') throw new HarnessError('INTERNAL', 'an attempt is one judged history, never flaky');
  return { attempt, dir: attemptDir(attempt), verdict: result.verdict, failed: failedParts(result) };
}

/**
 * Fail while every attempt that ran failed (a rerun that could not run disproves nothing);
 * flaky once one did not fail: the same seed and event times gave another outcome.
 */
export function repeatVerdict(attempts: readonly RunAttempt[]): AttemptsRecord['verdict'] {
  return attempts.some((a) => a.verdict === 'pass' || a.verdict === 'unknown') ? 'flaky' : 'fail';
}

export async function writeAttempts(runDir: string, record: AttemptsRecord): Promise<void> {
  await writeFile(join(runDir, ATTEMPTS_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** A run dir's verdict.json (its own history's verdict) read with its attempts.json: the scenario's verdict and attempts. */
export function withAttempts(judged: RunResult, record: AttemptsRecord | null): RunResult {
  return record ? { ...judged, verdict: record.verdict, attempts: record.attempts } : judged;
}

/** The run dir's attempts.json, or null when the scenario ran once. */
export async function readAttempts(runDir: string): Promise<AttemptsRecord | null> {
  const path = join(runDir, ATTEMPTS_FILE);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as AttemptsRecord;
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}
