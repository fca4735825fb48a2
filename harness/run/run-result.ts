import type { CheckResult, MetricsReport } from '../checkers/index.ts';

/** What one history is judged to be. */
export type JudgedVerdict = 'pass' | 'fail' | 'unknown';

/**
 * A scenario's verdict: its history's, or `flaky` when `run --repeat` ran a failing scenario
 * again with the same seed and an attempt did not fail (harness/run/repeat-failing.ts).
 */
export type Verdict = JudgedVerdict | 'flaky';

/** One SLA threshold as judged: `passed` is 'unknown' when the metric was not measured. */
export interface SlaResult {
  scope: string;
  threshold: string;
  measured: number | null;
  passed: boolean | 'unknown';
  note?: string;
  /** Timing and throughput SLAs: the host's mean CPU steal over the scope (0..1), when sampled. */
  hostSteal?: number;
}

/** What a finished run says (also written to `<runDir>/verdict.json`). */
export interface RunResult {
  scenario: string;
  verdict: Verdict;
  checks: CheckResult[];
  slas: SlaResult[];
  metrics: MetricsReport | null;
  seed: number;
  /** One command line that runs the same scenario with the same seed. */
  replay: string;
  runDir: string;
  /** Things that went wrong around the run (fault errors, drain timeout): each makes a pass impossible. */
  notes: string[];
  /** Set when `run --repeat` ran the scenario again: every attempt, the first (this run dir) included. */
  attempts?: RunAttempt[];
}

/** Worst of checker validities and SLA results: any false → fail, else any unknown → unknown, else pass. */
export function combineVerdict(checks: readonly { valid: true | false | 'unknown' }[], slas: readonly { passed: boolean | 'unknown' }[]): JudgedVerdict {
  const values = [...checks.map((c) => c.valid), ...slas.map((s) => s.passed)];
  if (values.some((v) => v === false)) return 'fail';
  if (values.some((v) => v === 'unknown')) return 'unknown';
  return 'pass';
}

/**
 * The worst of several verdicts (a suite): fail, then flaky (a failure seen, not reproduced on the
 * same seed), then unknown (no failure seen, nothing decided), then pass.
 */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('flaky')) return 'flaky';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'pass';
}

/** A suite's outcome: its worst verdict, or `error` when a scenario could not run. */
export type SuiteVerdict = Verdict | 'error';

/**
 * Scenarios that could not run outrank unknown and pass, not fail or flaky: a failure seen is
 * the stronger news. (`run` exits with this: harness/cli/run.ts.)
 */
export function suiteVerdict(verdicts: readonly Verdict[], errors: number): SuiteVerdict {
  const worst = worstVerdict(verdicts);
  return errors > 0 && worst !== 'fail' && worst !== 'flaky' ? 'error' : worst;
}

/** One attempt of a scenario under `run --repeat` (run-attempts.ts). */
export interface RunAttempt {
  /** 1 for the first run. */
  attempt: number;
  /** The attempt's run dir relative to the scenario's: '.' for the first, `attempt-<n>` after. */
  dir: string;
  /** What its history was judged to be; 'error' when it could not run (`error` says why). */
  verdict: JudgedVerdict | 'error';
  /** What did not hold: failed checkers by name, failed SLAs as `<scope>: <threshold>`. */
  failed: string[];
  error?: string;
}
