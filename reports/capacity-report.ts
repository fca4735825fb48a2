/**
 * The report of a capacity search: the terminal lines (one per step, then the knee with its
 * evidence) and `capacity.html`, a self-contained page with the knee chart (throughput, p99
 * latency and lag growth against the offered rate) and the step table.
 */
import * as echarts from 'echarts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kneeStep, type CapacityResult, type CapacityStep } from '../harness/capacity/capacity-result.ts';
import { stepLine } from '../harness/capacity/capacity-search.ts';
import { STEP_BOUNDS } from '../harness/capacity/step-judgement.ts';
import { escapeXml as esc } from './xml-text.ts';

const STOP_TEXT: Record<CapacityResult['stop'], string> = {
  resolved: 'bracket within the resolution',
  'max-rate': 'the max rate held (the capacity is at least this)',
  'nothing-passed': 'no rate held, down to 1 event/s',
  budget: 'the budget ran out before the bracket was within the resolution',
};

const secs = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);
const eps = (n: number | null) => (n === null ? '-' : `${Math.round(n)}/s`);
const byRate = (steps: readonly CapacityStep[]) => [...steps].sort((a, b) => a.rate - b.rate || a.index - b.index);

export function capacityLines(r: CapacityResult): string[] {
  const lines = [`capacity of ${r.sut} on '${r.base}'${r.cluster ? ` on the cluster at ${r.cluster}` : ''} (seed ${r.seed}), ${r.steps.length} step(s) in ${Math.round(r.wallMs / 1000)} s:`];
  for (const s of byRate(r.steps)) lines.push(`  ${stepLine(s)}`);
  const knee = kneeStep(r);
  if (!knee) {
    lines.push(`no sustainable rate found (${STOP_TEXT[r.stop]})`);
  } else {
    const m = knee.measure;
    const above = r.firstFailEps === null ? '' : `; ${r.firstFailEps}/s failed (${r.steps.find((s) => s.rate === r.firstFailEps && !s.judgement.passed)?.judgement.reasons.join('; ')})`;
    lines.push(`knee: ${r.kneeEps} events/s sustained (${STOP_TEXT[r.stop]})${above}`);
    lines.push(`  evidence at ${r.kneeEps}/s: sent ${eps(m.sentPerS)}, processed ${eps(m.recordsPerS ?? m.consumedPerS)}, p50 ${secs(m.p50Ms)}, p99 ${secs(m.p99Ms)}, lag growth ${m.lagGrowthPerS === null ? '-' : `${m.lagGrowthPerS.toFixed(1)}/s`}, lag max ${m.lagMax ?? '-'}, lost ${knee.lost ?? '-'}, duplicates ${knee.duplicates ?? '-'}${knee.load === null ? '' : `, load ${knee.load.toFixed(1)}`} (${knee.runDir})`);
  }
  lines.push(`replay: ${r.replay}`);
  return lines;
}

const PASS = '#15803d';
const FAIL = '#b91c1c';

/** The knee chart as inline SVG: offered rate on x; events/s on the left axis, p99 seconds on the right. */
export function kneeChart(r: CapacityResult): string {
  const steps = byRate(r.steps);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 380 });
  const point = (s: CapacityStep, y: number | null) => ({ value: [s.rate, y], itemStyle: { color: s.judgement.passed ? PASS : FAIL } });
  chart.setOption({
    animation: false,
    title: { text: `${r.sut} on ${r.base}: knee ${r.kneeEps === null ? 'not found' : `${r.kneeEps} events/s`} (point colour = step held / failed)`, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 70, right: 70, top: 50, bottom: 70 },
    xAxis: { type: 'value', name: 'offered events/s', nameLocation: 'middle', nameGap: 28, min: 0 },
    yAxis: [{ type: 'value', name: 'events/s' }, { type: 'value', name: 'p99 s', position: 'right' }],
    series: [
      { name: 'offered', type: 'line', symbol: 'none', lineStyle: { type: 'dotted', color: '#9ca3af' }, data: steps.map((s) => [s.rate, s.rate]) },
      {
        name: 'processed', type: 'line', symbolSize: 9, data: steps.map((s) => point(s, s.measure.recordsPerS ?? s.measure.consumedPerS)),
        markLine: r.kneeEps === null ? undefined : { silent: true, symbol: 'none', lineStyle: { color: PASS, type: 'dashed' }, label: { formatter: `knee ${r.kneeEps}/s` }, data: [{ xAxis: r.kneeEps }] },
      },
      { name: 'lag growth', type: 'line', symbolSize: 7, data: steps.map((s) => point(s, s.measure.lagGrowthPerS)) },
      { name: 'p99 latency', type: 'line', yAxisIndex: 1, symbolSize: 7, lineStyle: { type: 'dashed' }, data: steps.map((s) => point(s, s.measure.p99Ms === null ? null : s.measure.p99Ms / 1000)) },
    ],
  });
  const svg = chart.renderToSVGString().replaceAll('zr0-', 'zrknee-');
  chart.dispose();
  return `<figure class="chart" data-chart="knee" data-points="${steps.length}">${svg}</figure>`;
}

/** A search's verdict (the page's and the trend's): a knee found, nothing held at all, or undecided. */
export function capacityVerdict(r: CapacityResult): 'pass' | 'fail' | 'unknown' {
  return r.kneeEps !== null ? 'pass' : r.stop === 'nothing-passed' ? 'fail' : 'unknown';
}

export function capacityHtml(r: CapacityResult): string {
  const rows = byRate(r.steps).map((s) => {
    const m = s.measure;
    return `<tr><td>${s.index}</td><td>${s.stage}</td><td>${s.rate}</td><td>${eps(m.sentPerS)}</td><td>${eps(m.recordsPerS ?? m.consumedPerS)}</td><td>${secs(m.p50Ms)}</td><td>${secs(m.p99Ms)}</td><td>${m.lagGrowthPerS === null ? '-' : m.lagGrowthPerS.toFixed(1)}</td><td>${m.lagMax ?? '-'}</td><td>${s.load ?? '-'}</td><td>${m.steal === null ? '-' : `${Math.round(m.steal * 100)}%`}</td><td style="color:${s.judgement.passed ? PASS : FAIL}">${s.judgement.passed ? 'held' : `failed: ${esc(s.judgement.reasons.join('; '))}`}</td></tr>`;
  });
  const rule = `A step holds when the producer starts at least ${STEP_BOUNDS.offered * 100}% of the rate, the SUT processes at least ${STEP_BOUNDS.keepUp * 100}% of what was sent, its lag grows by at most ${STEP_BOUNDS.lagGrowth * 100}% of the rate per second (+1/s), and every steady SLA of '${r.base}' holds, over a ${r.timing.measureMs / 1000} s window after ${r.timing.warmUpMs / 1000} s of warm-up.`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>streamproof capacity: ${esc(r.sut)}</title>
<style>body{font:14px system-ui,sans-serif;max-width:1000px;margin:0 auto;padding:16px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #e5e7eb;padding:3px 6px;text-align:left}figure{margin:12px 0}code{background:#f3f4f6;padding:1px 4px}</style>
</head><body><h1 id="verdict" data-verdict="${capacityVerdict(r)}">capacity: ${r.kneeEps === null ? 'no sustainable rate found' : `${r.kneeEps} events/s`}</h1>
<p>${esc(r.sut)} on <code>${esc(r.base)}</code>${r.cluster ? `, on the cluster at <code>${esc(r.cluster)}</code>` : ''}, seed ${r.seed}, ${r.steps.length} step(s) in ${Math.round(r.wallMs / 1000)} s; stopped: ${esc(STOP_TEXT[r.stop])}.</p>
${kneeChart(r)}
<p>${esc(rule)}</p>
<table><tr><th>step</th><th>stage</th><th>offered/s</th><th>sent</th><th>processed</th><th>p50</th><th>p99</th><th>lag growth/s</th><th>lag max</th><th>load</th><th>steal</th><th>judgement</th></tr>${rows.join('')}</table>
<p>Replay: <code>${esc(r.replay)}</code></p></body></html>
`;
}

/** Writes `<dir>/capacity.html`; returns its path. */
export async function writeCapacityReport(r: CapacityResult): Promise<string> {
  const path = join(r.dir, 'capacity.html');
  await writeFile(path, capacityHtml(r));
  return path;
}
