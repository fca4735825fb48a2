/**
 * index.html of a suite directory: one self-contained page (the scenario report's inline
 * style, no scripts, nothing fetched) listing every scenario with its verdict, the SLAs nearest
 * to their bounds, the machine's CPU while it ran, and links to its report and its attempts.
 */
import { badge, REPORT_STYLE } from './html-report.ts';
import { formatMeasured } from './sla-text.ts';
import { nearnessText, suiteCounts } from './suite-text.ts';
import type { SuiteRow, SuiteView } from './suite-view.ts';
import { escapeXml as esc } from './xml-text.ts';

const SUITE_STYLE = `
td.cpu,td.slas{font-size:13px}td.cpu div{white-space:nowrap}td.name{white-space:nowrap}td.slas div{white-space:nowrap}
.near{display:inline-block;min-width:3.5em;text-align:right;font-variant-numeric:tabular-nums}
.banner a{color:#fff}
`;

/** A share of stolen CPU a reader should see (on this 2-core VM the hypervisor takes 20-35% now and then). */
const STEAL_WORTH_NOTING = 0.1;
const pct = (share: number) => `${Math.round(share * 100)}%`;
const link = (href: string, text: string) => `<a href="${esc(href)}">${esc(text)}</a>`;
const rel = (row: SuiteRow, file: string) => (row.dir === '.' ? file : `${row.dir}/${file}`);

function slaCell(row: SuiteRow): string {
  if (row.nearest.length === 0) return '<span class="muted">-</span>';
  return row.nearest.map(({ sla, ratio }) => {
    const cls = sla.passed === true ? 'pass' : sla.passed === false ? 'fail' : 'unknown';
    return `<div class="sla" data-ratio="${ratio ?? ''}"><span class="near ${cls}">${esc(nearnessText(ratio, sla.passed))}</span> <code>${esc(sla.scope)}: ${esc(sla.threshold)}</code> <span class="muted">(${esc(formatMeasured(sla))})</span></div>`;
  }).join('');
}

/** One line per phase: busy and stolen shares; the phase with the most steal stands out when the hypervisor took a tenth or more. */
function cpuCell(row: SuiteRow): string {
  const { phases, mostStolen } = row.cpu;
  if (phases.length === 0) return '<span class="muted">no samples</span>';
  return phases.map(([phase, c]) => {
    const marked = mostStolen?.[0] === phase && c.steal >= STEAL_WORTH_NOTING;
    return `<div class="cpu-phase${marked ? ' unknown' : ''}" data-phase="${esc(phase)}" data-busy="${c.busy}" data-steal="${c.steal}">${esc(phase)}: busy ${pct(c.busy)}${c.steal > 0 ? `, steal ${pct(c.steal)}` : ''}</div>`;
  }).join('');
}

function reportCell(row: SuiteRow): string {
  if (!row.doc) return row.error ? `<span class="error">${esc(row.error)}</span>` : '<span class="muted">not run</span>';
  const attempts = (row.doc.attempts ?? []).filter((a) => a.dir !== '.').map((a) => link(rel(row, a.report), `attempt ${a.attempt}: ${a.verdict}`));
  return [link(rel(row, 'report.html'), 'report'), link(rel(row, 'summary.md'), 'summary'), ...attempts].join(' · ');
}

function scenarioRow(row: SuiteRow): string {
  const seconds = row.doc?.durationMs ? `${(row.doc.durationMs / 1000).toFixed(0)} s` : '-';
  return `<tr class="scenario" data-scenario="${esc(row.name)}" data-verdict="${row.verdict}"><td class="name"><strong>${row.doc ? link(rel(row, 'report.html'), row.name) : esc(row.name)}</strong></td><td>${row.verdict === 'not run' ? '<span class="muted">– not run</span>' : badge(row.verdict)}</td><td class="num">${esc(row.doc?.seed ?? '-')}</td><td class="num">${seconds}</td><td class="slas">${slaCell(row)}</td><td class="cpu">${cpuCell(row)}</td><td>${reportCell(row)}</td></tr>`;
}

export function suiteHtml(view: SuiteView, generatedAt = new Date()): string {
  const { record } = view;
  const wall = record.wallSeconds === null ? 'still running or stopped' : `${Math.floor(record.wallSeconds / 60)} min ${record.wallSeconds % 60} s`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>suite: ${view.verdict.toUpperCase()} · streamproof</title>
<style>${REPORT_STYLE}${SUITE_STYLE}</style></head>
<body><header class="banner ${view.verdict}" id="verdict" data-verdict="${view.verdict}">
<h1>streamproof ${esc(record.command)}: ${view.verdict.toUpperCase()}</h1>
<p>${esc(suiteCounts(view))}</p>
<p>started ${esc(record.startedAt)} · wall time ${esc(wall)} · <a href="junit.xml">junit.xml</a> · <a href="summary.md">summary.md</a></p>
</header><main>
<section id="scenarios"><h2>Scenarios</h2>
<table><tr><th>scenario</th><th>verdict</th><th>seed</th><th>duration</th><th>SLAs nearest their bounds <span class="muted">(measured/bound)</span></th><th>host CPU <span class="muted">(phase means)</span></th><th>reports</th></tr>
${view.rows.map(scenarioRow).join('\n')}
</table>
<p class="muted">Nearness is measured/bound for an upper bound and bound/measured for a lower one: 100% is at the bound, above it missed. Missed SLAs come first, then the nearest; <code>== 0</code> counts have no ratio. Host CPU is each phase's mean share of the machine's CPU: busy, and stolen by the hypervisor; evidence to read a missed latency SLA against, not a verdict. A scenario run again (<code>--repeat</code>) shows its first attempt's figures; its attempts are linked.</p>
</section>
<p class="muted">generated ${esc(generatedAt.toISOString())} · ${esc(view.dir)}</p>
</main></body></html>
`;
}
