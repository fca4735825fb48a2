/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched):
 * verdict banner, SLAs per phase, charts over time with fault windows, faults, checker
 * results with example records (a skipped checker shown as skipped, with its reason) and, for a
 * comparison, baseline and candidate side by side.
 */
import type { ComparisonResult } from '../harness/compare/comparison-result.ts';
import { barChart, timeCharts, type ChartSvg } from './charts.ts';
import { checkOutcome, skipReason, splitSkipped } from './check-outcome.ts';
import type { ReportDocument, ReportSla } from './report-document.ts';
import { formatMeasured, slaOutcome } from './sla-text.ts';
import type { TimeSeries } from './time-series.ts';
import { escapeXml as esc, exampleText } from './xml-text.ts';

/** The pages' one style sheet (inline: a report fetches nothing); the suite page uses it too. */
export const REPORT_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1000px;margin:0 auto;padding:0 16px 48px}
.banner{padding:20px 24px;color:#fff}.banner h1{margin:0 0 4px;font-size:22px}
.banner.pass{background:#15803d}.banner.fail{background:#b91c1c}.banner.unknown{background:#b45309}.banner.flaky{background:#6d28d9}.banner.error{background:#b45309}
.banner p{margin:2px 0;opacity:.95}
h2{margin:28px 0 8px;font-size:18px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#15803d}.fail{color:#b91c1c}.unknown{color:#b45309}.flaky{color:#6d28d9}.error{color:#b45309}.skipped{color:#4b5563}
.check.skipped{background:#f3f4f6;border-style:dashed;color:inherit}
.banner.pass,.banner.fail,.banner.unknown,.banner.flaky,.banner.error,.banner .pass,.banner .fail,.banner .unknown,.banner .flaky{color:#fff}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f3f4f6;padding:6px 8px;overflow-x:auto;margin:4px 0;white-space:pre-wrap;word-break:break-all}
figure.chart{background:#fff;border:1px solid #e5e7eb;margin:12px 0;padding:8px;overflow-x:auto}
figure.chart figcaption{font-size:12px;color:#6b7280}
.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.check{background:#fff;border:1px solid #e5e7eb;margin:8px 0;padding:8px 12px}
.muted{color:#6b7280}
`;

const LIST_CAP = 50;
/** Long lists (reasons, notes) end with a count of the rest: report.json has them all. */
const capped = (items: readonly string[]) => (items.length <= LIST_CAP ? items : [...items.slice(0, LIST_CAP), `… ${items.length - LIST_CAP} more in report.json`]);
const outcomeOf = (v: boolean | 'unknown') => slaOutcome(v);
const BADGE_ICON: Record<string, string> = { pass: '✔', fail: '✘', skipped: '⊘', flaky: '≈', error: '!' };
export const badge = (o: string) => `<span class="${o}">${BADGE_ICON[o] ?? '?'} ${o}</span>`;
const ms = (n: number | null | undefined) => (n === null || n === undefined ? '-' : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const seconds = (n: number | null) => (n === null ? '-' : `${(n / 1000).toFixed(1)} s`);

function banner(doc: ReportDocument): string {
  const env = doc.environment;
  return `<header class="banner ${doc.verdict}" id="verdict" data-verdict="${doc.verdict}">
<h1>${esc(doc.scenario.name)}: ${doc.verdict.toUpperCase()}</h1>
${doc.scenario.description ? `<p>${esc(doc.scenario.description)}</p>` : ''}
<p>seed ${esc(doc.seed ?? '-')} · Kafka ${esc(env.kafka ?? '?')} (${esc(env.provider ?? '?')}, ${esc(env.brokers ?? '?')} broker${env.brokers === 1 ? '' : 's'}) · SUT ${esc(env.sut?.name ?? '?')}${env.sut?.instances ? ` ×${env.sut.instances}` : ''} · streamproof ${esc(env.streamproof ?? '?')} · Node ${esc(env.node ?? '?')}</p>
<p>started ${esc(doc.startedAt ?? '-')} · ${seconds(doc.durationMs)} · replay: <code>${esc(doc.replay)}</code></p>
</header>`;
}

function slaRows(slas: readonly ReportSla[]): string {
  return slas.map((s) => `<tr><td><code>${esc(s.threshold)}</code></td><td class="num">${esc(formatMeasured(s))}</td><td>${badge(outcomeOf(s.passed))}${s.note ? ` <span class="muted">${esc(s.note)}</span>` : ''}</td></tr>`).join('\n');
}

function phasesSection(doc: ReportDocument): string {
  const scopes = [...doc.phases.map((p) => p.name), 'run'];
  const rows = doc.phases.map((p) => `<tr><td>${esc(p.name)}</td><td class="num">${seconds(p.offsetMs)}</td><td class="num">${seconds(p.durationMs)}</td><td class="num">${ms(p.latency?.p50Ms)}</td><td class="num">${ms(p.latency?.p95Ms)}</td><td class="num">${ms(p.latency?.p99Ms)}</td><td class="num">${p.throughputPerS === null ? '-' : p.throughputPerS.toFixed(1)}</td><td class="num">${p.lag?.max ?? '-'}</td></tr>`).join('\n');
  const slaBlocks = scopes.map((scope) => {
    const slas = doc.slas.filter((s) => s.scope === scope);
    return slas.length === 0 ? '' : `<h3>${esc(scope)}</h3><table class="slas" data-scope="${esc(scope)}"><tr><th>threshold</th><th>measured</th><th>result</th></tr>${slaRows(slas)}</table>`;
  }).join('\n');
  const other = doc.slas.filter((s) => !scopes.includes(s.scope));
  return `<section id="phases"><h2>Phases and SLAs</h2>
<table><tr><th>phase</th><th>start</th><th>duration</th><th>p50</th><th>p95</th><th>p99</th><th>outputs/s</th><th>max lag</th></tr>${rows}</table>
${slaBlocks}${other.length > 0 ? `<h3>other</h3><table class="slas">${slaRows(other)}</table>` : ''}${doc.slas.length === 0 ? '<p class="muted">No SLAs.</p>' : ''}</section>`;
}

function figure(c: ChartSvg): string {
  return `<figure class="chart" data-chart="${c.id}" data-points="${c.points}" data-fault-windows="${c.faultWindows}">${c.svg}<figcaption>${esc(c.title)}: ${c.points} points${c.faultWindows ? `, ${c.faultWindows} fault window(s) shaded` : ''}</figcaption></figure>`;
}

function chartsSection(doc: ReportDocument, series: TimeSeries | null): string {
  if (!series) return '<section id="charts"><h2>Over time</h2><p class="muted">No history in this run dir.</p></section>';
  return `<section id="charts"><h2>Over time</h2>${timeCharts(series, doc.phases, doc.faults).map(figure).join('\n')}</section>`;
}

/** `run --repeat`: every attempt with its verdict, what failed and a link to its own report. */
function attemptsSection(doc: ReportDocument): string {
  if (!doc.attempts) return '';
  const rows = doc.attempts.map((a) => `<tr class="attempt" data-attempt="${a.attempt}" data-verdict="${a.verdict}"><td class="num">${a.attempt}</td><td>${badge(a.verdict)}</td><td>${esc(a.error ?? (a.failed.join('; ') || '-'))}</td><td><a href="${esc(a.report)}">${esc(a.dir === '.' ? 'this run' : a.dir)}</a></td></tr>`).join('\n');
  const why = doc.verdict === 'flaky' ? 'The first run failed; a run with the same seed and event times did not: <strong>flaky</strong>, neither a pass nor a failure.' : 'Every run with the same seed and event times failed.';
  return `<section id="attempts"><h2>Attempts</h2><p>${why}</p><table><tr><th>#</th><th>verdict</th><th>what failed</th><th>report</th></tr>${rows}</table></section>`;
}

function faultsSection(doc: ReportDocument): string {
  if (doc.faults.length === 0) return '<section id="faults"><h2>Faults</h2><p class="muted">No faults applied.</p></section>';
  const rows = doc.faults.map((f) => `<tr class="fault" data-fault="${esc(f.id)}"><td>${esc(f.id)}</td><td>${esc(f.type)}</td><td>${esc(f.target)}</td><td class="num">${seconds(f.offsetMs)}</td><td class="num">${seconds(f.healOffsetMs)}</td><td class="num">${ms(f.recoveryMs)}</td><td>${esc(f.error ?? f.recoveryNote ?? '')}</td></tr>`).join('\n');
  return `<section id="faults"><h2>Faults</h2><table><tr><th>id</th><th>type</th><th>target</th><th>start</th><th>healed</th><th>recovery</th><th>note</th></tr>${rows}</table></section>`;
}

function checksSection(doc: ReportDocument): string {
  if (doc.checks.length === 0) return '';
  const items = doc.checks.map((c) => {
    const o = checkOutcome(c);
    if (o === 'skipped') {
      const reason = skipReason(c) || c.summary;
      return `<div class="check skipped" data-checker="${esc(c.checker)}" data-valid="skipped" data-skip-reason="${esc(reason)}"><strong>${esc(c.checker)}</strong> ${badge(o)}: <span class="skip-reason">${esc(reason)}</span>
<div class="muted">not judged: the SUT made no promise this checker decides</div></div>`;
    }
    const counts = Object.entries(c.counts).map(([k, v]) => `${esc(k)}=${esc(v)}`).join(' · ');
    const examples = c.examples.map((e) => `<pre class="example">${esc(exampleText(e, 2000))}</pre>`).join('');
    return `<div class="check" data-checker="${esc(c.checker)}" data-valid="${o}"><strong>${esc(c.checker)}</strong> ${badge(o)}: ${esc(c.summary)}
<div class="muted">${counts}</div>${c.error ? `<pre>${esc(c.error)}</pre>` : ''}${examples ? `<details${o === 'pass' ? '' : ' open'}><summary>${c.examples.length} example record(s)</summary>${examples}</details>` : ''}</div>`;
  });
  const { judged, skipped } = splitSkipped(doc.checks);
  const heading = skipped.length === 0 ? 'Checks' : `Checks <span class="muted">(${judged.length} judged, <span class="skipped">${skipped.length} skipped</span>)</span>`;
  return `<section id="checks"><h2>${heading}</h2>${items.join('\n')}</section>`;
}

function comparisonSection(c: ComparisonResult | undefined): string {
  if (!c) return '';
  const side = (who: 'baseline' | 'candidate') => {
    const rows = c.metrics.map((m) => `<tr><td>${esc(m.name)}</td><td class="num">${m[who].n}</td><td class="num">${m[who].p50}</td><td class="num">${m[who].p95}</td><td class="num">${m[who].p99}</td></tr>`).join('');
    return `<div data-side="${who}"><h3>${who}: ${esc(c[who].name)}</h3>${c[who].description ? `<p class="muted">${esc(c[who].description)}</p>` : ''}<table><tr><th>metric</th><th>n</th><th>p50</th><th>p95</th><th>p99</th></tr>${rows}</table></div>`;
  };
  const verdicts = c.metrics.map((m) => `<tr><td>${esc(m.name)}</td><td>${esc(m.direction)}</td><td class="num">${m.pValue === null ? '-' : m.pValue.toPrecision(3)}</td><td class="num">${m.effect === null ? '-' : `${(m.effect * 100).toFixed(1)}%`}</td><td class="${m.classification === 'marginal' ? 'unknown' : m.classification}">${esc(m.classification)}</td><td>${esc(m.reason)}</td></tr>`).join('');
  const diff = c.diff;
  const classes = diff ? diff.classes.map((d) => `<tr data-diff-class="${d.class}"><td>${d.class}</td><td class="num">${d.count}</td><td>${d.examples.slice(0, 3).map((e) => `<pre class="example">${esc(exampleText(e, 1000))}</pre>`).join('')}</td></tr>`).join('') : '';
  const diffChart = diff && diff.classes.length > 0 ? figure(barChart('diff-classes', 'Record differences by class', diff.classes.map((d) => d.class), [{ name: 'records', values: diff.classes.map((d) => d.count) }])) : '';
  const p99Chart = c.metrics.length > 0 ? figure(barChart('compare-p99', 'p99: baseline vs candidate', c.metrics.map((m) => m.name), [
    { name: 'baseline', values: c.metrics.map((m) => m.baseline.p99) },
    { name: 'candidate', values: c.metrics.map((m) => m.candidate.p99) },
  ])) : '';
  return `<section id="comparison"><h2>Comparison (${esc(c.mode)}${c.fraction === undefined ? '' : `, candidate share ${(c.fraction * 100).toFixed(0)}%`}): ${badge(c.verdict)}</h2>
<ul>${capped(c.reasons).map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
<div class="side">${side('baseline')}${side('candidate')}</div>
<div class="side">${p99Chart}${diffChart}</div>
${c.metrics.length > 0 ? `<table><tr><th>metric</th><th>direction</th><th>p-value</th><th>effect</th><th>class</th><th>reason</th></tr>${verdicts}</table>` : ''}
${diff ? `<h3>Record diff: ${diff.compared} compared, ${diff.inFlight} in flight</h3><table class="diff"><tr><th>class</th><th>count</th><th>examples</th></tr>${classes}</table>${diff.noise.length > 0 ? `<p class="muted">Noise fields (excluded): ${diff.noise.map((n) => `${esc(n.field)} ${(n.rate * 100).toFixed(1)}%`).join(', ')}</p>` : ''}` : ''}
</section>`;
}

export function htmlReport(doc: ReportDocument, series: TimeSeries | null): string {
  const notes = doc.notes.length > 0 ? `<section id="notes"><h2>Notes</h2><ul>${capped(doc.notes).map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.scenario.name)}: ${doc.verdict.toUpperCase()} · streamproof</title>
<style>${REPORT_STYLE}</style></head>
<body>${banner(doc)}<main>
${attemptsSection(doc)}
${phasesSection(doc)}
${chartsSection(doc, series)}
${faultsSection(doc)}
${checksSection(doc)}
${comparisonSection(doc.comparison)}
${notes}
<p class="muted">report.json schema v${doc.schemaVersion} · generated ${esc(doc.generatedAt)} · ${esc(doc.runDir)}</p>
</main></body></html>
`;
}
