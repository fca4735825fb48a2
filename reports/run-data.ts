/**
 * Everything the reports need from one run directory, read once: verdict.json (a RunResult),
 * scenario.json, history.duckdb (meta, phases, faults, time series) and comparison.json when
 * `streamproof compare` wrote one. Reports never look at a live cluster.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ComparisonResult } from '../harness/compare/comparison-result.ts';
import { HarnessError } from '../harness/errors.ts';
import { HistoryReader } from '../harness/history/history-reader.ts';
import type { FaultRow, JsonValue, PhaseRow } from '../harness/history/history-rows.ts';
import { readAttempts, withAttempts } from '../harness/run/run-attempts.ts';
import type { RunResult } from '../harness/run/run-result.ts';
import { readTimeSeries, type TimeSeries } from './time-series.ts';

export interface ScenarioFile {
  name: string;
  description?: string;
  brokers?: number;
  [key: string]: unknown;
}

export interface RunData {
  runDir: string;
  result: RunResult;
  scenario: ScenarioFile | null;
  meta: Record<string, JsonValue>;
  phases: PhaseRow[];
  faults: FaultRow[];
  series: TimeSeries | null;
  comparison: ComparisonResult | null;
}

async function readJson<T>(path: string): Promise<T | null> {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** A comparison without a verdict.json still has a scenario, seed and verdict to report. */
function resultFromComparison(c: ComparisonResult, runDir: string): RunResult {
  return { scenario: c.scenario, verdict: c.verdict, checks: [], slas: [], metrics: null, seed: c.seed, replay: c.replay, runDir, notes: [...c.reasons] };
}

export async function loadRunData(dir: string): Promise<RunData> {
  const runDir = resolve(dir);
  const verdict = await readJson<RunResult>(join(runDir, 'verdict.json'));
  const comparison = await readJson<ComparisonResult>(join(runDir, 'comparison.json'));
  if (!verdict && !comparison) {
    throw new HarnessError('USAGE', `${dir}: not a finished run dir (needs verdict.json or comparison.json)`);
  }
  const judged = verdict ?? resultFromComparison(comparison!, runDir);
  // `run --repeat`: verdict.json is this history's judgement, attempts.json the scenario's over all attempts.
  const repeated = await readAttempts(runDir);
  const result = withAttempts(judged, repeated);
  const scenario = await readJson<ScenarioFile>(join(runDir, 'scenario.json'));
  // A shadow comparison keeps one history per version; the baseline's holds the run-wide rows
  // (versions, phases, faults). Its series are the baseline's alone, so they are not charted as the run's.
  const own = join(runDir, 'history.duckdb');
  const historyPath = existsSync(own) ? own : comparison ? join(runDir, 'baseline', 'history.duckdb') : own;
  if (!existsSync(historyPath)) {
    return { runDir, result, scenario, meta: {}, phases: [], faults: [], series: null, comparison };
  }
  const history = await HistoryReader.open(historyPath);
  try {
    return {
      runDir, result, scenario, comparison,
      meta: await history.meta(),
      phases: await history.phases(),
      faults: await history.faults(),
      series: historyPath === own ? await readTimeSeries(history) : null,
    };
  } finally {
    history.close();
  }
}
