/** Words the suite's HTML and Markdown share. */
import type { SuiteView } from './suite-view.ts';

/** `87%` of the bound, `∞` past it with nothing measured on a lower bound, `missed`/`not measured` without a ratio. */
export function nearnessText(ratio: number | null, passed: boolean | 'unknown'): string {
  if (ratio === null) return passed === false ? 'missed' : passed === 'unknown' ? 'unknown' : '-';
  return Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : '∞';
}

/** `5 scenarios: 3 pass, 1 flaky, 1 fail`. */
export function suiteCounts(view: SuiteView): string {
  const counts = new Map<string, number>();
  for (const row of view.rows) counts.set(row.verdict, (counts.get(row.verdict) ?? 0) + 1);
  const order = ['pass', 'fail', 'flaky', 'unknown', 'error', 'not run'];
  const parts = order.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} ${v}`);
  return `${view.rows.length} scenario${view.rows.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
