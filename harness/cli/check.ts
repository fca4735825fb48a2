import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { judgeHistory, type JudgedScenario } from '../run/judge-history.ts';
import type { RunResult } from '../run/run-result.ts';
import { parseCommandArgs, type Command } from './command.ts';
import { printJson } from './output.ts';
import { checkOutcome, notHolding, paintVerdict, terminalSummary } from '../../reports/index.ts';
import { VERDICT_EXIT } from './run.ts';

const usage = 'streamproof check <run dir> [--json]';

/** Re-runs the checkers and SLAs of a finished run on its saved history; exits like `run`. */
const command: Command = {
  name: 'check',
  summary: 'judge a finished run again from its run dir (history.duckdb + scenario.json)',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage, true);
    if (positionals.length !== 1) throw new HarnessError('USAGE', `expected one run dir (usage: ${usage})`);
    const runDir = positionals[0]!;
    const historyPath = join(runDir, 'history.duckdb');
    const scenarioPath = join(runDir, 'scenario.json');
    if (!existsSync(historyPath) || !existsSync(scenarioPath)) throw new HarnessError('USAGE', `${runDir}: not a run dir (needs history.duckdb and scenario.json)`);
    const scenario = JSON.parse(await readFile(scenarioPath, 'utf8')) as JudgedScenario & { name: string };
    const reader = await HistoryReader.open(historyPath);
    let result: RunResult;
    try {
      const meta = await reader.meta();
      const judged = await judgeHistory(reader, scenario, { onProgress: (line) => process.stderr.write(`[check] ${line}\n`) });
      const seed = Number(meta.seed ?? NaN);
      const replay = typeof meta.replay === 'string' ? meta.replay : '';
      result = { scenario: scenario.name, verdict: judged.verdict, checks: judged.checks, slas: judged.slas, metrics: judged.metrics, seed, replay, runDir, notes: [] };
    } finally {
      reader.close();
    }
    if (values.json) printJson(result);
    else {
      const mark = { pass: 'ok ', fail: 'FAIL', unknown: '?  ', skipped: 'skip' } as const;
      for (const c of result.checks) console.log(`${mark[checkOutcome(c)]} ${c.checker}: ${c.summary}`);
      for (const s of result.slas) console.log(`${s.passed === true ? 'ok ' : s.passed === false ? 'FAIL' : '?  '} ${s.scope}: ${s.threshold} (measured ${s.measured ?? 'nothing'}${s.note ? `; ${s.note}` : ''})`);
      console.log('');
      for (const l of terminalSummary([result])) console.log(l);
      console.log(`verdict: ${paintVerdict(result.verdict)}${result.verdict === 'pass' ? '' : ` — ${notHolding(result)}`}`);
    }
    return VERDICT_EXIT[result.verdict];
  },
};
export default command;
