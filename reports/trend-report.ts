/**
 * `streamproof report trend`: how latency, recovery time and verdicts moved across runs, as a
 * Markdown table (with the change from the previous run of the same scenario) and an HTML page
 * with one ECharts chart per scenario.
 */
import * as echarts from 'echarts';
import type { TrendRow } from './trend-store.ts';
import { escapeXml as esc } from './xml-text.ts';

const ms = (n: number | null) => (n === null ? '-' : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const ICON: Record<string, string> = { pass: '✅', fail: '❌', unknown: '⚠️', flaky: '🔁' };

/** `+12%` / `-3%` from the previous value (higher is worse for every figure shown but capacity, where a drop is the regression). */
export function change(previous: number | null | undefined, current: number | null): string {
  if (previous === null || previous === undefined || current === null) return '';
  if (previous === 0) return current === 0 ? ' (=)' : ' (new)';
  const pct = ((current - previous) / previous) * 100;
  if (Math.abs(pct) < 0.5) return ' (=)';
  return ` (${pct > 0 ? '▲ +' : '▼ '}${pct.toFixed(0)}%)`;
}

const byScenario = (rows: readonly TrendRow[]) => {
  const groups = new Map<string, TrendRow[]>();
  for (const r of rows) groups.set(r.scenario, [...(groups.get(r.scenario) ?? []), r]);
  return groups;
};

const when = (r: TrendRow) => (r.startedAt ?? r.recordedAt).replace('T', ' ').slice(0, 19);

export function trendMarkdown(rows: readonly TrendRow[]): string {
  if (rows.length === 0) return 'No runs recorded in the trend database yet.\n';
  const lines: string[] = ['# streamproof trend', ''];
  for (const [scenario, runs] of byScenario(rows)) {
    const verdicts = runs.map((r) => r.verdict);
    const flips = verdicts.filter((v, i) => i > 0 && v !== verdicts[i - 1]).length;
    // Failover drills add their RPO and RTO columns.
    const drill = runs.some((r) => r.rpoRecords !== null || r.rtoMs !== null);
    // Capacity searches add the knee (a drop is the regression to see).
    const capacity = runs.some((r) => r.capacityEps !== null);
    lines.push(`## ${scenario} (${runs.length} runs, verdict changed ${flips} time(s))`, '',
      `| started | verdict | failed checks / SLAs | p50 | p99 | recovery |${drill ? ' RPO records | RPO time | RTO |' : ''}${capacity ? ' capacity |' : ''} throughput | lost | dup | streamproof | kafka | run |`,
      `|---|---|---|---|---|---|${drill ? '---|---|---|' : ''}${capacity ? '---|' : ''}---|---|---|---|---|---|`);
    runs.forEach((r, i) => {
      const prev = i > 0 ? runs[i - 1] : undefined;
      const recovery = r.neverRecovered > 0 ? 'never' : ms(r.recoveryMs) + change(prev?.recoveryMs, r.recoveryMs);
      const figures = drill ? ` ${r.rpoRecords ?? '-'} | ${ms(r.rpoTimeMs)}${change(prev?.rpoTimeMs, r.rpoTimeMs)} | ${ms(r.rtoMs)}${change(prev?.rtoMs, r.rtoMs)} |` : '';
      const knee = capacity ? ` ${r.capacityEps === null ? '-' : `${Math.round(r.capacityEps)}/s`}${change(prev?.capacityEps, r.capacityEps)} |` : '';
      lines.push(`| ${when(r)} | ${ICON[r.verdict] ?? ''} ${r.verdict}${prev && prev.verdict !== r.verdict ? ' (changed)' : ''} | ${r.checksFailed} / ${r.slasFailed} | ${ms(r.p50Ms)}${change(prev?.p50Ms, r.p50Ms)} | ${ms(r.p99Ms)}${change(prev?.p99Ms, r.p99Ms)} | ${recovery} |${figures}${knee} ${r.throughputPerS === null ? '-' : `${r.throughputPerS.toFixed(1)}/s`} | ${r.lost ?? '-'} | ${r.duplicates ?? '-'} | ${r.streamproofVersion ?? '-'} | ${r.kafkaVersion ?? '-'} | ${r.runDir.split('/').slice(-2).join('/')} |`);
    });
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const VERDICT_COLOUR: Record<string, string> = { pass: '#15803d', fail: '#b91c1c', unknown: '#b45309', flaky: '#6d28d9' };

function trendChart(scenario: string, runs: readonly TrendRow[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 320 });
  const labels = runs.map((r, i) => `#${i + 1}`);
  chart.setOption({
    animation: false,
    title: { text: `${scenario}: latency and recovery per run (point colour = verdict)`, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 70, right: 30, top: 50, bottom: 60 },
    xAxis: { type: 'category', data: labels },
    yAxis: [{ type: 'value', name: 'ms' }, { type: 'value', name: 'events/s', position: 'right' }],
    series: [
      { name: 'p99 latency', type: 'line', symbolSize: 10, data: runs.map((r) => ({ value: r.p99Ms, itemStyle: { color: VERDICT_COLOUR[r.verdict] } })) },
      { name: 'p50 latency', type: 'line', data: runs.map((r) => r.p50Ms) },
      { name: 'recovery time', type: 'line', data: runs.map((r) => r.recoveryMs) },
      ...(runs.some((r) => r.capacityEps !== null) ? [{ name: 'capacity (events/s)', type: 'line', yAxisIndex: 1, symbolSize: 10, data: runs.map((r) => r.capacityEps) }] : []),
    ],
  });
  const svg = chart.renderToSVGString().replaceAll('zr0-', `zrt${scenario.replace(/[^a-z0-9]/gi, '')}-`);
  chart.dispose();
  return `<figure class="chart" data-chart="trend" data-scenario="${esc(scenario)}" data-points="${runs.length}">${svg}</figure>`;
}

export function trendHtml(rows: readonly TrendRow[]): string {
  const sections = [...byScenario(rows)].map(([scenario, runs]) => {
    const table = runs.map((r, i) => `<tr><td>#${i + 1}</td><td>${esc(when(r))}</td><td style="color:${VERDICT_COLOUR[r.verdict] ?? '#000'}">${esc(r.verdict)}</td><td>${ms(r.p50Ms)}</td><td>${ms(r.p99Ms)}</td><td>${r.neverRecovered > 0 ? 'never' : ms(r.recoveryMs)}</td><td>${r.capacityEps === null ? '-' : `${Math.round(r.capacityEps)}/s`}</td><td>${esc(r.runDir)}</td></tr>`).join('');
    return `<section><h2>${esc(scenario)}</h2>${trendChart(scenario, runs)}<table><tr><th>run</th><th>started</th><th>verdict</th><th>p50</th><th>p99</th><th>recovery</th><th>capacity</th><th>dir</th></tr>${table}</table></section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>streamproof trend</title>
<style>body{font:14px system-ui,sans-serif;max-width:1000px;margin:0 auto;padding:16px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #e5e7eb;padding:3px 6px;text-align:left}figure{margin:12px 0}</style>
</head><body><h1>streamproof trend</h1>${sections.join('\n') || '<p>No runs recorded yet.</p>'}</body></html>
`;
}
