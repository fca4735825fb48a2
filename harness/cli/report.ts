import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readAttempts, withAttempts } from '../run/run-attempts.ts';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import type { RunResult } from '../run/run-result.ts';
import { readSuiteRecord, SUITE_FILE, terminalSummary, writeReports, writeSuiteJunit, writeSuiteReport, writeTrend } from '../../reports/index.ts';
import { parseCommandArgs, type Command } from './command.ts';
import { printJson, progressLine } from './output.ts';

const usage = 'streamproof report <run dir or suite dir>... [--runs dir] [--suite-junit file] [--screenshot] [--json] | streamproof report trend [--scenario S] [--runs dir] [--json]';

const options = {
  runs: { type: 'string' },
  scenario: { type: 'string' },
  'suite-junit': { type: 'string' },
  screenshot: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function trend(values: { runs?: string; scenario?: string; json?: boolean }): Promise<number> {
  const runsDir = resolve(values.runs ?? join(process.cwd(), 'runs'));
  const written = await writeTrend(runsDir, values.scenario);
  if (values.json) printJson(written);
  else {
    process.stdout.write(written.markdown);
    progressLine(`${written.runs} run(s); wrote ${written.md} and ${written.html}`);
  }
  return 0;
}

/**
 * Writes (again) the reports of finished runs from their run dirs alone; `trend` shows how
 * latency, recovery time and verdicts moved across the runs recorded in `<runs>/trend.duckdb`.
 */
const command: Command = {
  name: 'report',
  summary: 'write report.json, junit.xml, summary.md and report.html for run dirs; `report trend` compares runs over time',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, options, usage, true);
    if (positionals[0] === 'trend') {
      if (positionals.length > 1) throw new HarnessError('USAGE', `report trend takes no run dirs (usage: ${usage})`);
      return trend(values);
    }
    if (values.scenario) throw new HarnessError('USAGE', '--scenario belongs to `report trend`');
    if (positionals.length === 0) throw new HarnessError('USAGE', `expected a run dir (usage: ${usage})`);
    const written = [];
    const results: RunResult[] = [];
    const suites: string[] = [];
    // A suite folder (suite.json, e.g. runs/latest) stands for its scenarios' run dirs and their attempts, then its own report.
    const runDirs: string[] = [];
    for (const dir of positionals) {
      if (!existsSync(join(dir, SUITE_FILE))) {
        runDirs.push(dir);
        continue;
      }
      suites.push(dir);
      const record = await readSuiteRecord(dir);
      for (const s of record.scenarios) {
        const runDir = join(dir, s.dir);
        if (!existsSync(join(runDir, 'verdict.json'))) continue;
        for (const a of (await readAttempts(runDir))?.attempts ?? []) if (a.dir !== '.' && existsSync(join(runDir, a.dir, 'verdict.json'))) await writeReports(join(runDir, a.dir), { stepSummary: null });
        runDirs.push(runDir);
      }
    }
    for (const dir of runDirs) {
      const paths = await writeReports(dir, { ...(values.runs ? { runsDir: values.runs } : {}) });
      const judged = JSON.parse(await readFile(join(dir, 'verdict.json'), 'utf8').catch(() => 'null')) as RunResult | null;
      if (judged) results.push(withAttempts(judged, await readAttempts(dir)));
      let screenshot: unknown;
      if (values.screenshot) {
        const { inspectHtmlReport } = await import('../../reports/html-inspection.ts');
        const seen = await inspectHtmlReport(paths.html, join(resolve(dir), 'report.png'));
        screenshot = { path: seen.screenshot, consoleErrors: seen.consoleErrors, charts: seen.charts.map((c) => ({ id: c.id, points: c.points, faultAreas: c.faultAreas })) };
        if (seen.consoleErrors.length > 0) progressLine(`${dir}: console errors in report.html: ${seen.consoleErrors.join(' | ')}`);
      }
      written.push({ runDir: dir, ...paths, ...(screenshot ? { screenshot } : {}) });
      if (!values.json) progressLine(`${dir}: wrote ${[paths.json, paths.junit, paths.markdown, paths.html].map((p) => p.slice(resolve(dir).length + 1)).join(', ')}${screenshot ? ', report.png' : ''}`);
    }
    for (const dir of suites) {
      const suite = await writeSuiteReport(dir);
      let screenshot: unknown;
      if (values.screenshot) {
        const { inspectHtmlReport } = await import('../../reports/html-inspection.ts');
        const seen = await inspectHtmlReport(suite.html, join(resolve(dir), 'index.png'));
        screenshot = { path: seen.screenshot, consoleErrors: seen.consoleErrors, scenarios: seen.scenarios.length };
        if (seen.consoleErrors.length > 0) progressLine(`${dir}: console errors in index.html: ${seen.consoleErrors.join(' | ')}`);
      }
      written.push({ suiteDir: dir, html: suite.html, markdown: suite.markdown, ...(screenshot ? { screenshot } : {}) });
      if (!values.json) progressLine(`${dir}: wrote index.html, summary.md${screenshot ? ', index.png' : ''} (suite ${suite.view.verdict})`);
    }
    if (values['suite-junit']) await writeSuiteJunit(runDirs, values['suite-junit']);
    if (values.json) printJson(written);
    else {
      if (results.length > 0) for (const line of terminalSummary(results)) console.log(line);
    }
    return 0;
  },
};
export default command;
