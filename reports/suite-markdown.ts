/**
 * summary.md of a suite directory: the suite's verdict and one table row per scenario
 * (verdict, the SLAs nearest their bounds, host CPU, links to its reports and attempts).
 * Short by construction: three SLAs per scenario, one line each.
 */
import { formatMeasured } from './sla-text.ts';
import { nearnessText, suiteCounts } from './suite-text.ts';
import type { SuiteRow, SuiteView } from './suite-view.ts';

const ICON: Record<string, string> = { pass: '✅', fail: '❌', unknown: '⚠️', flaky: '🔁', error: '💥', 'not run': '⏸️' };
/** A table cell: no pipes or line breaks from user text. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const rel = (row: SuiteRow, file: string) => (row.dir === '.' ? file : `${row.dir}/${file}`);
const pct = (share: number) => `${Math.round(share * 100)}%`;

function row(r: SuiteRow): string {
  const slas = r.nearest.map(({ sla, ratio }) => `${nearnessText(ratio, sla.passed)} \`${cell(`${sla.scope}: ${sla.threshold}`)}\` (${formatMeasured(sla)})`).join('<br>') || '-';
  const cpu = r.cpu.phases.map(([phase, c]) => `${phase}: busy ${pct(c.busy)}${c.steal > 0 ? `, steal ${pct(c.steal)}` : ''}`).join('<br>') || '-';
  const links = r.doc
    ? [`[report](${rel(r, 'report.html')})`, ...(r.doc.attempts ?? []).filter((a) => a.dir !== '.').map((a) => `[attempt ${a.attempt}: ${a.verdict}](${rel(r, a.report)})`)].join(' · ')
    : r.error ? cell(r.error) : 'not run';
  return `| ${cell(r.name)} | ${ICON[r.verdict] ?? ''} ${r.verdict.toUpperCase()} | ${r.doc?.seed ?? '-'} | ${cell(slas)} | ${cell(cpu)} | ${links} |`;
}

export function suiteMarkdown(view: SuiteView): string {
  const { record } = view;
  const wall = record.wallSeconds === null ? 'still running or stopped' : `${Math.floor(record.wallSeconds / 60)} min ${record.wallSeconds % 60} s`;
  return [
    `## streamproof ${record.command}: ${ICON[view.verdict] ?? ''} ${view.verdict.toUpperCase()}`,
    '',
    `${suiteCounts(view)} · started ${record.startedAt} · wall time ${wall} · [index.html](index.html)`,
    '',
    '| scenario | verdict | seed | SLAs nearest their bounds (measured/bound) | host CPU | reports |',
    '|---|---|---|---|---|---|',
    ...view.rows.map(row),
    '',
    "Nearness: measured/bound for an upper bound, bound/measured for a lower one (100% = at the bound); missed SLAs first. Host CPU: each phase's mean share of the machine's CPU that was busy, and stolen by the hypervisor.",
    '',
  ].join('\n');
}
