/**
 * The scenario's own judgement (checkers and SLAs) as inputs of the comparison verdict. The
 * candidate's count as they are. The baseline's cannot fail the candidate, but a baseline that
 * misses its own SLAs means the lab could not carry the scenario, so the comparison cannot
 * pass either: its failures count as unknown, with a note saying why.
 */
import type { RunResult, SlaResult } from '../run/run-result.ts';

export function runJudgementAsSlas(result: RunResult, side: string, role: 'judged' | 'reference'): SlaResult[] {
  // A skipped check (nothing promised) is no judgement: it is left out, never a passing row.
  const checks: SlaResult[] = result.checks.filter((c) => c.skipped === undefined).map((c) => ({ scope: `${side} checker`, threshold: c.checker, measured: null, passed: c.valid, note: c.summary }));
  const slas: SlaResult[] = result.slas.map((s) => ({ ...s, scope: `${side} ${s.scope}` }));
  const all = [...checks, ...slas];
  if (role === 'judged') return all;
  return all.map((s) => (s.passed === false ? { ...s, passed: 'unknown' as const, note: `the ${side} itself missed it, so the lab could not carry the scenario${s.note ? `: ${s.note}` : ''}` } : s));
}
