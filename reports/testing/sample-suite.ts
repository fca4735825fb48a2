/**
 * A suite directory as `streamproof run --repeat 1` leaves it, without a cluster: sample runs
 * (real histories judged by the real checkers) for a passing scenario, one that failed on every
 * attempt, a flaky one (failed, then passed on the same seed), one that could not run and one
 * never reached; each with its reports, then suite.json.
 */
import { join } from 'node:path';
import { repeatFailing } from '../../harness/run/repeat-failing.ts';
import { writeReports } from '../index.ts';
import { writeSuiteRecord, type SuiteRecord } from '../suite-record.ts';
import { writeSampleRun } from './sample-run.ts';

export const SAMPLE_SUITE = {
  pass: 'steady-sample',
  fail: 'lossy-sample',
  flaky: 'flaky-sample',
  error: 'broken-sample',
  notRun: 'later-sample',
} as const;

/** One scenario run with `--repeat 1`: `lose` per attempt (attempt 1 first); returns its verdict. */
async function repeated(suiteDir: string, name: string, lose: number[], seed: number) {
  const runDir = join(suiteDir, name);
  const first = await writeSampleRun(runDir, { name, seed, lose: lose[0] });
  const result = await repeatFailing({
    first,
    repeat: lose.length - 1,
    runAttempt: (attempt, dir) => writeSampleRun(dir, { name, seed, lose: lose[attempt - 1] }),
    onAttempt: async (a) => void (await writeReports(join(runDir, a.dir), { stepSummary: null })),
  });
  await writeReports(runDir, { stepSummary: null });
  return result;
}

export async function writeSampleSuite(suiteDir: string): Promise<SuiteRecord> {
  await repeated(suiteDir, SAMPLE_SUITE.pass, [0], 11);
  await repeated(suiteDir, SAMPLE_SUITE.fail, [12, 7], 12);
  await repeated(suiteDir, SAMPLE_SUITE.flaky, [3, 0], 13);
  const record: SuiteRecord = {
    command: 'run',
    startedAt: '2026-01-01T00:00:00.000Z',
    wallSeconds: 754,
    scenarios: Object.values(SAMPLE_SUITE).map((name) => ({ name, dir: name })),
    errors: [{ scenario: SAMPLE_SUITE.error, error: "streamproof: SUT_START_FAILED: SUT 'broken' instance 0 exited with code 7 before it was ready" }],
  };
  // Like `run` after its last scenario; the not-run one is what a stopped suite leaves.
  await writeSuiteRecord(suiteDir, record);
  return record;
}
