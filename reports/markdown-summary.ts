/**
 * summary.md: a short GitHub-flavoured Markdown summary for a CI step summary. Lists are
 * capped (examples, notes, diff examples) and the whole text is cut at a line boundary below
 * MAX_SUMMARY_BYTES with a note, because GitHub rejects a step summary of 1 MiB or more.
 */
import { skipReason, splitSkipped } from './check-outcome.ts';
import type { ReportDocument } from './report-document.ts';
import { formatMeasured, slaOutcome } from './sla-text.ts';
import { exampleText } from './xml-text.ts';

export const MAX_SUMMARY_BYTES = 1024 * 1024 - 1024;
const EXAMPLES = 3;
const NOTES = 20;

const ICON: Record<string, string> = { pass: '✅', fail: '❌', unknown: '⚠️', skipped: '⏭️', flaky: '🔁', error: '💥' };

/** Markdown table cell: no pipes or newlines. */
const cell = (value: unknown) => String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (value: string) => `\`${value.replace(/`/g, "'")}\``;

function slaTable(doc: ReportDocument): string[] {
  if (doc.slas.length === 0) return ['No SLAs.'];
  return [
    '| scope | threshold | measured | result |',
    '|---|---|---|---|',
    ...doc.slas.map((s) => `| ${cell(s.scope)} | ${code(s.threshold)} | ${cell(formatMeasured(s))}${s.note ? ` (${cell(s.note)})` : ''} | ${ICON[slaOutcome(s.passed)]} ${slaOutcome(s.passed)} |`),
  ];
}

/** Failing and unknown checks with examples, else one line naming those that hold; then every skipped check with its reason (a skip is never counted as holding). */
function failingChecks(doc: ReportDocument): string[] {
  if (doc.checks.length === 0) return [];
  const { judged, skipped } = splitSkipped(doc.checks);
  const bad = judged.filter((c) => c.valid !== true);
  const lines: string[] = [];
  if (judged.length === 0) lines.push('No check judged anything: every checker was skipped.');
  else if (bad.length === 0) lines.push(`All ${judged.length} judged checks hold: ${judged.map((c) => c.checker).join(', ')}.`);
  for (const c of bad) {
    lines.push(`- ${ICON[c.valid === false ? 'fail' : 'unknown']} **${cell(c.checker)}**: ${cell(c.summary)}`);
    for (const e of c.examples.slice(0, EXAMPLES)) lines.push(`  - ${code(exampleText(e, 300))}`);
    if (c.examples.length > EXAMPLES) lines.push(`  - … ${c.examples.length - EXAMPLES} more examples in report.json`);
  }
  if (skipped.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`Skipped (${skipped.length}, not judged: the SUT promised nothing these checkers decide):`, '');
    for (const c of skipped) lines.push(`- ${ICON.skipped} **${cell(c.checker)}**: skipped — ${cell(skipReason(c) || c.summary)}`);
  }
  return lines;
}

function comparison(doc: ReportDocument): string[] {
  const c = doc.comparison;
  if (!c) return [];
  const lines = ['', `### Comparison (${c.mode}): ${cell(c.baseline.name)} → ${cell(c.candidate.name)}: ${ICON[c.verdict]} ${c.verdict.toUpperCase()}`, ''];
  for (const r of c.reasons.slice(0, NOTES)) lines.push(`- ${cell(r)}`);
  if (c.diff) {
    lines.push('', `Records compared: ${c.diff.compared} (in flight, not counted: ${c.diff.inFlight})`, '', '| diff class | count | first example |', '|---|---|---|');
    for (const d of c.diff.classes) lines.push(`| ${d.class} | ${d.count} | ${d.examples[0] ? code(exampleText(d.examples[0], 200)) : '-'} |`);
  }
  if (c.metrics.length > 0) {
    lines.push('', '| metric | baseline p50 | candidate p50 | effect | result |', '|---|---|---|---|---|');
    for (const m of c.metrics) lines.push(`| ${cell(m.name)} | ${round3(m.baseline.p50)} | ${round3(m.candidate.p50)} | ${m.effect === null ? '-' : `${(m.effect * 100).toFixed(1)}%`} | ${cell(m.classification)} |`);
  }
  return lines;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes at a line boundary and says so. */
export function capMarkdown(text: string, maxBytes = MAX_SUMMARY_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const note = (omitted: number) => `\n\n> **Truncated**: ${omitted} bytes left out to stay under GitHub's 1 MiB step summary limit; see report.json and report.html.\n`;
  const room = maxBytes - Buffer.byteLength(note(bytes.length));
  const cut = bytes.lastIndexOf(0x0a, Math.max(0, room));
  const kept = bytes.subarray(0, cut > 0 ? cut : Math.max(0, room)).toString('utf8').replace(/\uFFFD$/, '');
  return kept + note(bytes.length - Buffer.byteLength(kept));
}

/** `run --repeat`: each attempt, what failed in it and its report (links relative to this summary). */
function attempts(doc: ReportDocument): string[] {
  if (!doc.attempts) return [];
  const why = doc.verdict === 'flaky' ? 'The first run failed and a run with the same seed and event times did not: **flaky**.' : 'Every run with the same seed and event times failed.';
  return ['### Attempts', '', why, '', ...doc.attempts.map((a) => `- ${ICON[a.verdict] ?? ''} attempt ${a.attempt}: ${a.verdict}${a.error ? ` — ${cell(a.error)}` : a.failed.length > 0 ? ` — ${cell(a.failed.join('; '))}` : ''} ([report](${a.report}))`), ''];
}

export interface SummaryOptions {
  /** How to link the HTML report: a URL or a path relative to summary.md. Default `report.html`. */
  htmlLink?: string;
}

export function markdownSummary(doc: ReportDocument, options: SummaryOptions = {}): string {
  const env = doc.environment;
  const lines = [
    `## ${ICON[doc.verdict]} ${cell(doc.scenario.name)}: ${doc.verdict.toUpperCase()}`,
    '',
    ...(doc.scenario.description ? [cell(doc.scenario.description), ''] : []),
    `Seed ${doc.seed ?? '-'} · Kafka ${env.kafka ?? '?'} · ${env.brokers ?? '?'} broker${env.brokers === 1 ? '' : 's'} · SUT ${env.sut?.name ?? '?'} · ${doc.durationMs === null ? '' : `${Math.round(doc.durationMs / 1000)} s · `}${doc.faults.length} fault(s)`,
    '',
    `Replay: ${code(doc.replay)}`,
    '',
    ...attempts(doc),
    '### SLAs',
    '',
    ...slaTable(doc),
    '',
    '### Checks',
    '',
    ...failingChecks(doc),
    ...comparison(doc),
  ];
  if (doc.notes.length > 0) {
    lines.push('', '### Notes', '', ...doc.notes.slice(0, NOTES).map((n) => `- ${cell(n)}`));
    if (doc.notes.length > NOTES) lines.push(`- … ${doc.notes.length - NOTES} more in report.json`);
  }
  lines.push('', `Full report: [report.html](${options.htmlLink ?? 'report.html'})`, '');
  return capMarkdown(lines.join('\n'));
}

/** Statistics to three decimals: enough to read, no float noise (613.1614999999999). */
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
