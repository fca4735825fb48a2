import type { RunResult } from '../run/run-result.ts';
import { MUTANT_PLAN, type MutantPlan } from './mutation-plan.ts';
import type { BugName } from '../../pipeline/operators/bugs.ts';

/** One cell: a SUT variant ('clean' or a bug) run on one scenario. */
export interface MatrixCell {
  variant: 'clean' | BugName;
  scenario: string;
  verdict: RunResult['verdict'] | 'error';
  /** Checkers and SLA metrics that failed (valid false / passed false). */
  failedBy: string[];
  /** For a bug: failed through an intended catcher. For clean: passed. */
  expected: boolean;
  runDir: string;
  error?: string;
}

/** What failed in a run: checker names, plus the metric of each failed SLA (`lost`, `e2e_latency`...). */
export function failedBy(result: RunResult): string[] {
  const checks = result.checks.filter((c) => c.valid === false).map((c) => c.checker);
  const slas = result.slas.filter((s) => s.passed === false).map((s) => `sla:${s.threshold.split(/\s|\./)[0]}`);
  return [...new Set([...checks, ...slas])];
}

/** A bug is caught when the run fails through one of its intended catchers (checker or the SLA on the same metric). */
export function isCaught(plan: MutantPlan, failed: string[]): boolean {
  return plan.catchers.some((c) => failed.includes(c) || failed.includes(`sla:${c}`));
}

export function judgeCell(variant: MatrixCell['variant'], result: RunResult): MatrixCell {
  const failed = failedBy(result);
  const expected = variant === 'clean' ? result.verdict === 'pass' : result.verdict === 'fail' && isCaught(MUTANT_PLAN[variant], failed);
  return { variant, scenario: result.scenario, verdict: result.verdict, failedBy: failed, expected, runDir: result.runDir };
}

export interface MatrixSummary {
  bugs: number;
  caught: number;
  /** caught / bugs, 0..1. */
  detectionRate: number;
  cleanRuns: number;
  cleanPasses: number;
  missed: BugName[];
}

/** A bug is caught when at least one of its cells caught it through an intended catcher. */
export function summarize(cells: MatrixCell[]): MatrixSummary {
  const bugs = [...new Set(cells.filter((c) => c.variant !== 'clean').map((c) => c.variant as BugName))];
  const missed = bugs.filter((b) => !cells.some((c) => c.variant === b && c.expected));
  const clean = cells.filter((c) => c.variant === 'clean');
  return {
    bugs: bugs.length,
    caught: bugs.length - missed.length,
    detectionRate: bugs.length === 0 ? 0 : (bugs.length - missed.length) / bugs.length,
    cleanRuns: clean.length,
    cleanPasses: clean.filter((c) => c.expected).length,
    missed,
  };
}

/** The printed matrix: one row per variant, one column per scenario; `caught(lost)`, `MISSED`, `pass`, `FAIL`. */
export function matrixTable(cells: MatrixCell[], scenarios: string[]): string[] {
  const variants = [...new Set(cells.map((c) => c.variant))];
  const cellText = (variant: string, scenario: string): string => {
    const c = cells.find((x) => x.variant === variant && x.scenario === scenario);
    if (!c) return '·';
    if (c.verdict === 'error') return 'ERROR';
    if (variant === 'clean') return c.expected ? 'pass' : `FAIL(${c.failedBy.join(',') || c.verdict})`;
    return c.expected ? `caught(${c.failedBy.filter((f) => isCaught(MUTANT_PLAN[variant as BugName], [f])).join(',')})` : `MISSED(${c.failedBy.join(',') || c.verdict})`;
  };
  const header = ['variant \\ scenario', ...scenarios];
  const rows = variants.map((v) => [v, ...scenarios.map((s) => cellText(v, s))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
