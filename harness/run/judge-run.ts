import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryReader } from '../history/history-reader.ts';
import { redactValue } from '../redaction.ts';
import { judgeHistory, type JudgedScenario } from './judge-history.ts';
import type { RunResult } from './run-result.ts';

/** Judges a closed history and writes the run dir's verdict.json (every runner ends here). */
export async function judgeRun(o: { historyPath: string; scenario: JudgedScenario & { name: string }; seed: number; replay: string; runDir: string; notes: string[]; onProgress?: (line: string) => void }): Promise<RunResult> {
  const reader = await HistoryReader.open(o.historyPath);
  let result: RunResult;
  try {
    const judged = await judgeHistory(reader, o.scenario, { ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    result = { scenario: o.scenario.name, verdict: judged.verdict, checks: judged.checks, slas: judged.slas, metrics: judged.metrics, seed: o.seed, replay: o.replay, runDir: o.runDir, notes: o.notes };
  } finally {
    await reader.close();
  }
  // Notes and evidence quote errors and log lines: secrets masked (harness/redaction.ts).
  result = redactValue(result);
  await writeFile(join(o.runDir, 'verdict.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
