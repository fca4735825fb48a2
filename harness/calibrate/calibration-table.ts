import { boundRatio, parseThreshold, type Threshold } from '../../scenarios/model/thresholds.ts';
import type { Calibration } from './calibration.ts';
import { STARVED_STEAL } from '../run/host-cpu.ts';

const STARVED_PERCENT = Math.round(STARVED_STEAL * 100);

const ratio = (t: Threshold, measured: number) => {
  const r = boundRatio(t.op, t.value, measured);
  return r === null ? '-' : Number.isFinite(r) ? r.toFixed(2) : 'inf';
};

/** The printed calibration: per scenario and SLA, how close each run came to the scenario's bound, and the proposal. */
export function calibrationTable(calibration: Calibration): string[] {
  const lines: string[] = [`SLA bounds at the worst clean run ${calibration.margin > 0 ? `with a margin of ${Math.round(calibration.margin * 100)}%` : 'with no margin'}; per run: measured/bound (1.00 = at the bound; ! = the hypervisor took ${STARVED_PERCENT}% or more of the CPU)`];
  for (const [name, c] of Object.entries(calibration.scenarios)) {
    const used = c.runs.filter((r) => r.used).length;
    lines.push('', `${name}: ${used} of ${c.runs.length} runs clean${c.runs.some((r) => !r.used) ? ` (left out: ${c.runs.filter((r) => !r.used).map((r) => `seed ${r.seed}: ${r.why}`).join('; ')})` : ''}`);
    if (c.slas.length === 0) lines.push('  no timing or throughput SLA to calibrate');
    for (const s of c.slas) {
      const now = parseThreshold(s.threshold);
      // `!`: measured on a starved host
      const runs = s.samples.map((m, i) => (m === null ? '-' : `${ratio(now, m)}${s.starved?.includes(i) ? '!' : ''}`)).join(' ');
      const measured = s.samples.filter((m): m is number => m !== null);
      const proposed = s.proposed === null ? null : parseThreshold(s.proposed);
      const worst = proposed && measured.length ? ` (worst at ${ratio(proposed, proposed.op === '<' || proposed.op === '<=' ? Math.max(...measured) : Math.min(...measured))} of it)` : '';
      lines.push(`  ${s.scope.padEnd(9)} ${s.threshold.padEnd(30)} runs ${runs} -> ${s.proposed ?? `none: ${s.why}`}${worst}`);
    }
  }
  const starved = Object.values(calibration.scenarios).flatMap((c) => c.slas).filter((s) => (s.starved?.length ?? 0) > 0).length;
  if (starved > 0) lines.push('', `${starved} SLA(s) have samples (!) measured while the hypervisor took ${STARVED_PERCENT}% or more of the CPU: their bounds include that slowness. Calibrate when your CI host is as busy as it usually is.`);
  return lines;
}
