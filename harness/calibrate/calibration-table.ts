import { parseThreshold, type Threshold } from '../../scenarios/model/thresholds.ts';
import type { Calibration } from './calibration.ts';

/** How close a measurement came to failing a bound: 1 is at the bound, above 1 is past it. */
export function closeness(threshold: Threshold, measured: number): number {
  const upper = threshold.op === '<' || threshold.op === '<=';
  if (upper) return threshold.value === 0 ? (measured === 0 ? 0 : Infinity) : measured / threshold.value;
  return measured === 0 ? Infinity : threshold.value / measured;
}

const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'inf');

/** The printed calibration: per scenario and SLA, how close each run came to the scenario's bound, and the proposal. */
export function calibrationTable(calibration: Calibration): string[] {
  const lines: string[] = [`SLA bounds at the worst clean run ${calibration.margin > 0 ? `with a margin of ${Math.round(calibration.margin * 100)}%` : 'with no margin'}; per run: measured/bound (1.00 = at the bound)`];
  for (const [name, c] of Object.entries(calibration.scenarios)) {
    const used = c.runs.filter((r) => r.used).length;
    lines.push('', `${name}: ${used} of ${c.runs.length} runs clean${c.runs.some((r) => !r.used) ? ` (left out: ${c.runs.filter((r) => !r.used).map((r) => `seed ${r.seed}: ${r.why}`).join('; ')})` : ''}`);
    if (c.slas.length === 0) lines.push('  no timing or throughput SLA to calibrate');
    for (const s of c.slas) {
      const now = parseThreshold(s.threshold);
      const runs = s.samples.map((m) => (m === null ? '-' : ratio(closeness(now, m)))).join(' ');
      const measured = s.samples.filter((m): m is number => m !== null);
      const proposed = s.proposed === null ? null : parseThreshold(s.proposed);
      const worst = proposed && measured.length ? ` (worst at ${ratio(Math.max(...measured.map((m) => closeness(proposed, m))))} of it)` : '';
      lines.push(`  ${s.scope.padEnd(9)} ${s.threshold.padEnd(30)} runs ${runs} -> ${s.proposed ?? `none: ${s.why}`}${worst}`);
    }
  }
  return lines;
}
