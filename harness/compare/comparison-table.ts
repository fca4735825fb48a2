/**
 * The short table `streamproof compare` prints: one line per difference class that occurred
 * (with its first example key), one line per metric (baseline vs candidate median, the
 * Hodges-Lehmann shift with its interval, p-value, effect, classification), then the reasons.
 */
import type { ComparisonResult, MetricComparison } from './comparison-result.ts';

const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(digits));

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function metricRow(m: MetricComparison): string[] {
  const shift = m.shift ? `${num(m.shift.estimate, 2)} [${num(m.shift.low, 2)}, ${num(m.shift.high, 2)}]` : '-';
  const effect = m.effect === null ? '-' : `${m.effect >= 0 ? '+' : ''}${(m.effect * 100).toFixed(1)}%`;
  return [m.name, `${m.baseline.n}`, num(m.baseline.p50, 2), `${m.candidate.n}`, num(m.candidate.p50, 2), shift, m.pValue === null ? '-' : m.pValue.toPrecision(2), effect, m.classification.toUpperCase()];
}

export function comparisonTable(result: ComparisonResult): string[] {
  const lines: string[] = [];
  lines.push(`${result.mode} comparison of '${result.candidate.name}' against '${result.baseline.name}' on ${result.scenario} (seed ${result.seed})`);
  if (result.diff) {
    const d = result.diff;
    lines.push('', `record diff: ${d.compared} pair(s) compared, ${d.inFlight} key(s) in flight set aside${d.noise.length ? `, noise excluded: ${d.noise.map((n) => `${n.field} (${(n.rate * 100).toFixed(0)}%)`).join(', ')}` : ''}`);
    lines.push(
      ...table(
        ['class', 'count', 'first example'],
        d.classes.map((c) => {
          const e = c.examples[0];
          return [c.class, String(c.count), e ? `${e.key}${e.fields ? ` (${e.fields.join(', ')})` : ''}` : '-'];
        }),
      ),
    );
  }
  if (result.metrics.length > 0) {
    lines.push('', `metrics (score ${result.score === null ? '-' : result.score.toFixed(2)}):`);
    lines.push(...table(['metric', 'n base', 'p50 base', 'n cand', 'p50 cand', 'shift [interval]', 'p', 'effect', 'class'], result.metrics.map(metricRow)));
  }
  lines.push('', ...result.reasons.map((r) => `- ${r}`));
  return lines;
}
