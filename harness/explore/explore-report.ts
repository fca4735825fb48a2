import type { ExploreResult } from './explore.ts';
import { describeSchedule, summariseSchedule } from './fault-schedule.ts';

/** Two columns of lines, the left one padded to its widest line. */
export function sideBySide(leftTitle: string, left: readonly string[], rightTitle: string, right: readonly string[]): string[] {
  const width = Math.max(leftTitle.length, ...left.map((l) => l.length));
  const rows = Math.max(left.length, right.length);
  const line = (a: string, b: string) => `${a.padEnd(width)}  │  ${b}`.trimEnd();
  return [line(leftTitle, rightTitle), line('─'.repeat(width), '─'.repeat(Math.max(rightTitle.length, ...right.map((r) => r.length)))), ...Array.from({ length: rows }, (_, i) => line(left[i] ?? '', right[i] ?? ''))];
}

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The human report of an exploration: outcome, original vs minimal side by side, how to replay. */
export function exploreReport(result: ExploreResult, replay: string): string[] {
  const runs = (stage: string) => result.attempts.filter((a) => a.stage === stage).length;
  const lines = [`explored ${runs('search')} schedule(s), ${runs('shrink')} shrink candidate(s), ${runs('confirm')} confirmation run(s) in ${seconds(result.timings.totalMs)}${result.budgetExhausted ? ' (budget spent)' : ''}`];
  if (!result.original || !result.minimal) {
    lines.push('no failing schedule found');
    lines.push(`replay: ${replay}`);
    return lines;
  }
  const { original, minimal } = result;
  lines.push(`found after ${seconds(result.timings.foundAtMs)} (attempt ${original.index}: ${original.problems}); shrunk after ${seconds(result.timings.shrunkAtMs)}`, '');
  lines.push(...sideBySide(`original (attempt ${original.index})`, describeSchedule(original.schedule), `minimal (attempt ${minimal.attempt.index})`, describeSchedule(minimal.attempt.schedule)), '');
  const steps = result.shrinkLog.filter((s) => s.taken).length;
  const cached = result.shrinkLog.filter((s) => s.cached).length;
  lines.push(`shrinking: ${steps} step(s) taken of ${result.shrinkLog.length} candidate(s)${cached > 0 ? ` (${cached} ran before, verdict reused)` : ''}`);
  const confirmed = result.confirmations.filter((v) => v === 'fail').length;
  if (result.outcome === 'flaky') {
    lines.push(`FLAKY: the minimal schedule failed ${confirmed} of ${result.confirmations.length} re-runs: not a clean minimal case`);
  } else if (result.confirmations.length > 0) {
    lines.push(`confirmed: the minimal schedule failed ${confirmed} of ${result.confirmations.length} re-runs`);
  } else {
    lines.push('not confirmed (no re-runs asked for)');
  }
  lines.push(`replay: ${replay}`);
  return lines;
}

/** One log line per attempt: `#4 shrink FAIL 1 fault: sut.crash@19s/1s duplicates✗ (31.2 s)`. */
export function attemptLine(attempt: ExploreResult['attempts'][number]): string {
  const mark = (attempt.stage === 'shrink' ? (attempt.verdict === 'fail' ? ' (step taken)' : ' (step refused)') : '') + (attempt.cached ? ' (ran before: verdict reused)' : '');
  return `#${attempt.index} ${attempt.stage.padEnd(7)} ${attempt.verdict.toUpperCase().padEnd(7)} ${summariseSchedule(attempt.schedule)}${attempt.problems && attempt.problems !== '-' ? ` — ${attempt.problems}` : ''}${mark} (${seconds(attempt.wallMs)})`;
}
