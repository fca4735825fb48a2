/**
 * The coloured table printed at the end of a run (plain text when stdout is not a TTY). A
 * skipped checker (the SUT promised nothing it judges) is not counted as held: the checks cell
 * counts judged checks and adds `+N skipped`, and a `⊘ skipped` line under the table gives each reason.
 */
import { join } from 'node:path';
import { colour } from '../harness/colour.ts';
import type { RunResult, Verdict } from '../harness/run/run-result.ts';
import { STARVED_STEAL } from '../harness/run/host-cpu.ts';
import { skipReason, splitSkipped } from './check-outcome.ts';

export interface RunError { scenario: string; error: string }

export function paintVerdict(verdict: Verdict): string {
  const text = verdict.toUpperCase();
  return verdict === 'pass' ? colour.green(text) : verdict === 'fail' ? colour.red(text) : verdict === 'flaky' ? colour.magenta(text) : colour.yellow(text);
}

/** What did not hold, in one short cell: failed (✗) and unknown (?) checkers and SLAs. */
export function notHolding(result: RunResult): string {
  const round = (n: number) => Math.round(n * 100) / 100;
  const bad = [
    ...result.checks.filter((c) => c.valid !== true).map((c) => `${c.checker}${c.valid === false ? '✗' : '?'}`),
    ...result.slas.filter((s) => s.passed !== true).map((s) => `${s.scope}:${s.threshold}${s.passed === false ? '✗' : '?'}${s.measured === null ? '' : ` (${round(s.measured)})`}`),
  ];
  return bad.length > 0 ? bad.join('; ') : '-';
}

const held = (values: readonly (boolean | 'unknown')[]) => {
  const ok = values.filter((v) => v === true).length;
  const text = `${ok}/${values.length}`;
  return values.length === 0 ? colour.dim('-') : ok === values.length ? colour.green(text) : values.includes(false) ? colour.red(text) : colour.yellow(text);
};

/** Judged checks held (`2/2`), then `+N skipped` when some were skipped. */
function checksHeld(result: RunResult): string {
  const { judged, skipped } = splitSkipped(result.checks);
  const cell = held(judged.map((c) => c.valid));
  return skipped.length === 0 ? cell : `${cell} ${colour.dim(`+${skipped.length} skipped`)}`;
}

/** One line per skipped check, with its reason (never cut: it says why nothing was judged). */
export function skippedLines(results: readonly RunResult[]): string[] {
  return results.flatMap((r) => splitSkipped(r.checks).skipped.map((c) => `${colour.dim('⊘ skipped')} ${r.scenario} ${c.checker}: ${skipReason(c) || c.summary}`));
}

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const MAX_CELL = 70;
const fit = (s: string) => (plain(s).length > MAX_CELL ? `${plain(s).slice(0, MAX_CELL - 1)}…` : s);

/** One line per scenario run again (`run --repeat`): each attempt's verdict, and where the last one lies. */
export function attemptLines(results: readonly RunResult[]): string[] {
  return results.filter((r) => r.attempts).map((r) => {
    const each = r.attempts!.map((a) => `${a.attempt} ${a.verdict}`).join(', ');
    const last = r.attempts![r.attempts!.length - 1]!;
    return `${paintVerdict(r.verdict)} ${r.scenario}: attempts ${each} (same seed; last in ${join(r.runDir, last.dir)})`;
  });
}

/** One line per SLA not judged because the host was starved of CPU (harness/run/sla.ts), with the steal: why the run decided nothing. */
export function starvedLines(results: readonly RunResult[]): string[] {
  return results.flatMap((r) => r.slas.filter((s) => s.passed === 'unknown' && (s.hostSteal ?? 0) >= STARVED_STEAL)
    .map((s) => `${colour.yellow('? not judged')} ${r.scenario} ${s.scope}: ${s.threshold}: the hypervisor took ${Math.round(s.hostSteal! * 100)}% of the host's CPU there (rerun on a quieter host)`));
}

/** One row per scenario: verdict, seed, checks and SLAs held, what did not hold, replay command; then the attempts, the SLAs a starved host left undecided and the skipped checks. */
export function terminalSummary(results: readonly RunResult[], errors: readonly RunError[] = []): string[] {
  const header = ['scenario', 'verdict', 'seed', 'checks', 'SLAs', 'not holding', 'replay'].map((h) => colour.bold(h));
  const rows = [
    ...results.map((r) => [r.scenario, paintVerdict(r.verdict), String(r.seed), checksHeld(r), held(r.slas.map((s) => s.passed)), fit(notHolding(r)), r.replay]),
    ...errors.map((e) => [e.scenario, colour.yellow('ERROR'), '-', '-', '-', fit(e.error), '-']),
  ];
  // The last column (replay) is never padded or cut: it must stay copy-pasteable.
  const widths = header.map((h, i) => Math.max(plain(h).length, ...rows.map((r) => plain(r[i]!).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - plain(c).length)))).join('  ');
  return [line(header), ...rows.map(line), ...attemptLines(results), ...starvedLines(results), ...skippedLines(results)];
}
