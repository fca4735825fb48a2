import type { CheckResult, MetricsReport } from '../checkers/index.ts';

export type Verdict = 'pass' | 'fail' | 'unknown';

/** One SLA threshold as judged: `passed` is 'unknown' when the metric was not measured. */
export interface SlaResult {
  scope: string;
  threshold: string;
  measured: number | null;
  passed: boolean | 'unknown';
  note?: string;
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
}

/** Worst of checker validities and SLA results: any false → fail, else any unknown → unknown, else pass. */
export function combineVerdict(checks: readonly { valid: true | false | 'unknown' }[], slas: readonly { passed: boolean | 'unknown' }[]): Verdict {
  const values = [...checks.map((c) => c.valid), ...slas.map((s) => s.passed)];
  if (values.some((v) => v === false)) return 'fail';
  if (values.some((v) => v === 'unknown')) return 'unknown';
  return 'pass';
}

/** The worst of several verdicts (a suite). */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'pass';
}
