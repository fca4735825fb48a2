import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../../scenarios/model/scenario.ts';
import type { ExploreResult } from './explore.ts';
import type { FaultSchedule } from './fault-schedule.ts';
import { describeSchedule } from './fault-schedule.ts';
import type { RunOverhead } from './lab-runner.ts';
import { renderScenarioFile } from './scenario-file.ts';
import { scheduledScenarioInput } from './scheduled-scenario.ts';

export interface ExploreOutputOptions {
  dir: string;
  base: Scenario;
  result: ExploreResult;
  runSeed: number;
  /** `streamproof explore ... --seed S --path P`. */
  replay: string;
  /** Arguments `streamproof run` needs besides the file (`--bug x`, `--sut f`). */
  runArgs: string[];
  overheads: RunOverhead[];
  lab: { startsMs: number[]; restarts: string[] };
}

const mean = (xs: number[]) => (xs.length === 0 ? null : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length));

/** Writes `<name>.ts` for a schedule: the base with the schedule as its faults, pinned to the run seed. */
async function writeScenario(o: ExploreOutputOptions, file: string, which: string, schedule: FaultSchedule, fcPath: string | null): Promise<string> {
  const path = join(o.dir, file);
  const { result } = o;
  const input = scheduledScenarioInput(o.base, schedule, {
    name: `${o.base.name}-${which}`,
    description: `The ${which} failing schedule explore found from ${o.base.name} (fast-check seed ${result.seed}, path ${fcPath ?? '-'}).`,
    seed: o.runSeed,
  });
  const comment = [
    `Written by \`streamproof explore\`: the ${which} failing fault schedule.`,
    `fast-check seed ${result.seed}, path ${fcPath ?? '-'}; explore replay (from the minimal schedule): ${o.replay}`,
    `Run it: streamproof run ${path}${o.runArgs.length > 0 ? ` ${o.runArgs.join(' ')}` : ''}`,
    ...(result.outcome === 'flaky' ? ['FLAKY: this schedule did not fail on every re-run.'] : []),
  ];
  await writeFile(path, renderScenarioFile(input, path, comment));
  return path;
}

/** explore.json (everything, for tools), minimal-scenario.ts and original-scenario.ts (ready to run). */
export async function writeExploreOutput(o: ExploreOutputOptions): Promise<{ json: string; minimal?: string; original?: string }> {
  const { result } = o;
  const files: { json: string; minimal?: string; original?: string } = { json: join(o.dir, 'explore.json') };
  if (result.minimal) files.minimal = await writeScenario(o, 'minimal-scenario.ts', 'minimal', result.minimal.attempt.schedule, result.minimal.path);
  if (result.original) files.original = await writeScenario(o, 'original-scenario.ts', 'original', result.original.schedule, result.originalPath);
  const attempt = (a: ExploreResult['attempts'][number] | null | undefined) =>
    a ? { attempt: a.index, verdict: a.verdict, problems: a.problems, runDir: a.runDir, schedule: a.schedule, described: describeSchedule(a.schedule) } : null;
  const json = {
    base: { name: o.base.name, source: o.base.source },
    seed: result.seed,
    startPath: result.startPath,
    path: result.minimal?.path ?? null,
    runSeed: o.runSeed,
    replay: o.replay,
    outcome: result.outcome,
    flaky: result.outcome === 'flaky',
    budgetExhausted: result.budgetExhausted,
    original: result.original && { ...attempt(result.original), path: result.originalPath },
    minimal: attempt(result.minimal?.attempt),
    minimalScenario: files.minimal ?? null,
    shrinkLog: result.shrinkLog,
    confirmations: result.confirmations,
    attempts: result.attempts.map((a) => ({ attempt: a.index, stage: a.stage, verdict: a.verdict, problems: a.problems, runDir: a.runDir, startedMs: Math.round(a.startedMs), wallMs: Math.round(a.wallMs), schedule: a.schedule })),
    timings: { foundAtMs: result.timings.foundAtMs && Math.round(result.timings.foundAtMs), shrunkAtMs: result.timings.shrunkAtMs && Math.round(result.timings.shrunkAtMs), totalMs: Math.round(result.timings.totalMs) },
    overhead: { meanMs: mean(o.overheads.map((x) => x.overheadMs)), perRun: o.overheads.map((x) => ({ ...x, wallMs: Math.round(x.wallMs), overheadMs: Math.round(x.overheadMs) })) },
    lab: { startsMs: o.lab.startsMs.map(Math.round), restarts: o.lab.restarts },
  };
  await writeFile(files.json, `${JSON.stringify(json, null, 2)}\n`);
  return files;
}
