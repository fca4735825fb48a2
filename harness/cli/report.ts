import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import type { RunResult } from '../run/run-result.ts';
import { terminalSummary, writeReports, writeSuiteJunit, writeTrend } from '../../reports/index.ts';
import { parseCommandArgs, type Command } from './command.ts';
import { printJson, progressLine } from './output.ts';

const usage = 'streamproof report <run dir>... [--runs dir] [--suite-junit file] [--screenshot] [--json] | streamproof report trend [--scenario S] [--runs dir] [--json]';

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
    for (const dir of positionals) {
      const paths = await writeReports(dir, { ...(values.runs ? { runsDir: values.runs } : {}) });
      results.push(JSON.parse(await readFile(join(dir, 'verdict.json'), 'utf8').catch(() => 'null')) as RunResult);
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
    if (values['suite-junit']) await writeSuiteJunit(positionals, values['suite-junit']);
    if (values.json) printJson(written);
    else {
      const known = results.filter((r): r is RunResult => r !== null);
      if (known.length > 0) for (const line of terminalSummary(known)) console.log(line);
    }
    return 0;
  },
};
export default command;
