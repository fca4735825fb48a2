/**
 * `runScenario`: one scenario against one SUT on a started cluster (`runSides`: against several
 * SUTs on the same input, for `streamproof compare`). Starts the SUT on per-run
 * topics, records phases, drives the workload and the fault time line, watches the outputs
 * live, drains, scans every SUT topic, then judges the history (checkers + SLAs).
 * The run dir holds scenario.json, seed, history.duckdb, verdict.json, replay.txt and SUT logs.
 */
import type { RunResult } from './run-result.ts';
import type { RunScenarioOptions, RunSidesOptions } from './run-options.ts';
import type { RunView } from './run-views.ts';
import { ScenarioRun } from './scenario-run.ts';

export async function runScenario(options: RunScenarioOptions): Promise<RunResult> {
  const described = options.sut;
  const [view] = await runSides({
    ...options,
    sides: (runId, prefix) => [
      { label: '', described, outputPrefix: prefix, groupId: `${described.name}-${runId}`, instances: options.scenario.sut.instances ?? described.instances, sutFaults: true },
    ],
    viewDir: () => options.runDir,
  });
  return view!.result;
}

/**
 * Runs one scenario against one or more SUTs on the same input, the same load and the same
 * fault schedule. Each consumer group gets a history (the first one holds the run-wide rows,
 * copied into the others at the end) judged by the checkers and SLAs on its own.
 */
export async function runSides(options: RunSidesOptions): Promise<RunView[]> {
  const run = await ScenarioRun.prepare(options);
  try {
    await run.recordStart();
    await run.startSuts();
    await run.drive(await run.prime());
    await run.collect();
  } finally {
    await run.close();
  }
  return run.judge();
}
