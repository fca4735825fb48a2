/** How an SLA, a measured value and a verdict read in reports (units from the threshold). */
import type { ReportSla } from './report-document.ts';

export function formatMeasured(sla: Pick<ReportSla, 'measured' | 'unit'>): string {
  if (sla.measured === null) return 'not measured';
  const n = sla.measured;
  switch (sla.unit) {
    case 'ms':
      return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
    case '/s':
      return `${n.toFixed(1)}/s`;
    default:
      return Number.isInteger(n) ? String(n) : n.toFixed(2);
  }
}

export function slaOutcome(passed: boolean | 'unknown'): 'pass' | 'fail' | 'unknown' {
  return passed === true ? 'pass' : passed === false ? 'fail' : 'unknown';
}

/** `measured 4.2 s vs e2e_latency.p99 < 2s` (+ the note). */
export function slaLine(sla: ReportSla): string {
  return `${sla.measured === null ? 'not measured' : `measured ${formatMeasured(sla)}`} vs ${sla.threshold}${sla.note ? ` (${sla.note})` : ''}`;
}
