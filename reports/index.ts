/**
 * Reports from a finished run directory alone (verdict.json, history.duckdb, scenario.json
 * and comparison.json when present): report.json, junit.xml, summary.md, report.html; the
 * summary is also appended to $GITHUB_STEP_SUMMARY; the headline figures go to the trend db.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HarnessError } from '../harness/errors.ts';
import { htmlReport } from './html-report.ts';
import { junitXml } from './junit-report.ts';
import { markdownSummary } from './markdown-summary.ts';
import { reportDocument } from './report-document-file.ts';
import { buildReportDocument } from './report-json.ts';
import { loadRunData } from './run-data.ts';
import { appendTrendRow, capacityTrendRow, readTrend, trendRow, TREND_FILE } from './trend-store.ts';
import type { CapacityResult } from '../harness/capacity/capacity-result.ts';
import { trendHtml, trendMarkdown } from './trend-report.ts';
import { suiteHtml } from './suite-html.ts';
import { suiteMarkdown } from './suite-markdown.ts';
import { loadSuite, type SuiteView } from './suite-view.ts';

export type { ReportDocument } from './report-document.ts';
export { REPORT_SCHEMA_VERSION } from './report-document.ts';
export { terminalSummary, paintVerdict, notHolding, skippedLines, type RunError } from './terminal-summary.ts';
export { checkOutcome, type CheckOutcome } from './check-outcome.ts';
export { readTrend, type TrendRow, TREND_FILE } from './trend-store.ts';
export { trendMarkdown, trendHtml } from './trend-report.ts';
export { markdownSummary, MAX_SUMMARY_BYTES } from './markdown-summary.ts';
export { junitXml } from './junit-report.ts';
export { buildReportDocument } from './report-json.ts';
export { loadRunData } from './run-data.ts';
export { reportDocument } from './report-document-file.ts';
export { loadSuite, nearestSlas, slaRatio, type SuiteView, type SuiteRow } from './suite-view.ts';
export { SUITE_FILE, writeSuiteRecord, readSuiteRecord, type SuiteRecord } from './suite-record.ts';

export interface ReportPaths {
  json: string;
  junit: string;
  markdown: string;
  html: string;
  /** Set when the summary was appended to $GITHUB_STEP_SUMMARY. */
  stepSummary?: string;
  /** Set when the run was appended to the trend database. */
  trend?: string;
}

export interface WriteReportsOptions {
  /** The runs folder whose trend.duckdb gets this run's headline figures; none when unset. */
  runsDir?: string;
  /** Default process.env.GITHUB_STEP_SUMMARY. Pass null to not append. */
  stepSummary?: string | null;
}

export async function writeReports(runDir: string, options: WriteReportsOptions = {}): Promise<ReportPaths> {
  const data = await loadRunData(runDir);
  const doc = buildReportDocument(data);
  const dir = data.runDir;
  const paths: ReportPaths = {
    json: join(dir, 'report.json'),
    junit: join(dir, 'junit.xml'),
    markdown: join(dir, 'summary.md'),
    html: join(dir, 'report.html'),
  };
  const summary = markdownSummary(doc);
  await writeFile(paths.json, `${JSON.stringify(doc, null, 2)}\n`);
  await writeFile(paths.junit, junitXml([doc]));
  await writeFile(paths.markdown, summary);
  await writeFile(paths.html, htmlReport(doc, data.series));
  const stepSummary = options.stepSummary === undefined ? process.env.GITHUB_STEP_SUMMARY : options.stepSummary;
  if (stepSummary) {
    // The HTML cannot be linked from a step summary: name where it lies instead.
    await appendFile(stepSummary, `${markdownSummary(doc, { htmlLink: `file://${paths.html}` })}\n`);
    paths.stepSummary = stepSummary;
  }
  if (options.runsDir) {
    await appendTrendRow(options.runsDir, trendRow(doc));
    paths.trend = join(resolve(options.runsDir), TREND_FILE);
  }
  return paths;
}

export interface SuiteReportPaths { html: string; markdown: string }

/** index.html and summary.md of a suite dir (suite.json and each scenario's run dir). */
export async function writeSuiteReport(suiteDir: string): Promise<SuiteReportPaths & { view: SuiteView }> {
  const view = await loadSuite(suiteDir);
  const paths = { html: join(view.dir, 'index.html'), markdown: join(view.dir, 'summary.md') };
  await writeFile(paths.html, suiteHtml(view));
  await writeFile(paths.markdown, suiteMarkdown(view));
  return { ...paths, view };
}

/** One junit.xml for a suite: a <testsuite> per run dir. */
export async function writeSuiteJunit(runDirs: readonly string[], path: string, name = 'streamproof'): Promise<string> {
  if (runDirs.length === 0) throw new HarnessError('USAGE', 'writeSuiteJunit: no run dirs');
  const docs = [];
  for (const dir of runDirs) docs.push(await reportDocument(dir));
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, junitXml(docs, name));
  return path;
}

/** Appends a finished run's headline figures to `<runsDir>/trend.duckdb`. */
export async function appendTrend(runsDir: string, runDir: string): Promise<string> {
  await appendTrendRow(runsDir, trendRow(await reportDocument(runDir)));
  return join(resolve(runsDir), TREND_FILE);
}

/** Appends a capacity search's knee to `<runsDir>/trend.duckdb`; returns the file. */
export async function appendCapacityTrend(runsDir: string, result: CapacityResult): Promise<string> {
  await appendTrendRow(runsDir, capacityTrendRow(result));
  return join(resolve(runsDir), TREND_FILE);
}

/** Writes trend.md and trend.html into the runs folder and returns the Markdown. */
export async function writeTrend(runsDir: string, scenario?: string): Promise<{ markdown: string; md: string; html: string; runs: number }> {
  const rows = await readTrend(runsDir, scenario);
  const markdown = trendMarkdown(rows);
  const md = join(resolve(runsDir), 'trend.md');
  const html = join(resolve(runsDir), 'trend.html');
  await writeFile(md, markdown);
  await writeFile(html, trendHtml(rows));
  return { markdown, md, html, runs: rows.length };
}
