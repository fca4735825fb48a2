import { mkdir } from 'node:fs/promises';
import { brokerDiskFor, formatProgress } from '../cli/run.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { Scenario } from '../../scenarios/model/scenario.ts';
import { explore, type ExploreResult } from './explore.ts';
import { availableMix, exploreMixOf } from './explore-mix.ts';
import { writeExploreOutput } from './explore-output.ts';
import { attemptLine } from './explore-report.ts';
import { LabRunner, type RunOverhead } from './lab-runner.ts';
import { reusedLab } from './run-on-lab.ts';
import type { ExternalClusterOptions } from '../cluster/external-provider.ts';
import { eventTimeOrigin } from '../run/event-time-origin.ts';

export interface ExploreOnLabOptions {
  base: Scenario;
  sut: SutConfig;
  /** What `streamproof run` needs besides a scenario file to run the same SUT (`--bug x`, `--sut f`). */
  runArgs: string[];
  seed: number;
  /** Event time of record 0 in every attempt (default: from the start time and the run seed). */
  eventTimeOriginMs?: number;
  path?: string;
  runs: number;
  budgetMs: number;
  confirmRuns: number;
  shrink: boolean;
  /** The explore run dir: attempts, lab logs, explore.json, the scenario files. */
  dir: string;
  /** The replay command for a fast-check path (or none). */
  replayOf: (path: string | null) => string;
  /** Run on this cluster (`--provider external`) instead of a local lab started and reused. */
  external?: ExternalClusterOptions;
  onLine?: (line: string) => void;
}

export interface ExploreOnLab {
  result: ExploreResult;
  replay: string;
  files: { json: string; minimal?: string; original?: string };
  overheads: RunOverhead[];
  lab: { startsMs: number[]; restarts: string[] };
}

/** An exploration on one local lab reused between runs (or the user's cluster); writes explore.json and the scenario files. */
export async function exploreOnLab(o: ExploreOnLabOptions): Promise<ExploreOnLab> {
  const line = o.onLine ?? (() => undefined);
  await mkdir(o.dir, { recursive: true });
  const drawn = exploreMixOf(o.base);
  // One run seed for every attempt: the same workload each time, so only the schedule differs.
  const runSeed = o.base.seed ?? o.seed;
  const diskMb = await brokerDiskFor([o.base], o.external ? 'external' : 'local'); // refuses disk faults an external cluster cannot have
  const lab = reusedLab({ external: o.external, brokers: o.base.brokers, diskMb, dir: o.dir, onProgress: line });
  let lastSample = 0;
  const runner = new LabRunner({
    base: o.base,
    sut: o.sut,
    lab,
    dir: o.dir,
    runSeed,
    eventTimeOriginMs: o.eventTimeOriginMs ?? eventTimeOrigin(Date.now(), runSeed),
    replayArgs: o.runArgs,
    onLine: line,
    onProgress: (p) => {
      if (p.message || Date.now() - lastSample < 10_000) return;
      lastSample = Date.now();
      line(`  ${formatProgress(p)}`);
    },
  });
  let result: ExploreResult;
  try {
    const mix = await availableMix(drawn, await lab.acquire(), o.base.faultMix !== undefined, line);
    result = await explore({ mix, seed: o.seed, path: o.path, runs: o.runs, budgetMs: o.budgetMs, confirmRuns: o.confirmRuns, shrink: o.shrink, run: runner.run, onAttempt: (a) => line(`[explore] ${attemptLine(a)}`) });
  } finally {
    await lab.stop();
  }
  const replay = o.replayOf(result.minimal?.path ?? o.path ?? null);
  const labFigures = { startsMs: lab.starts, restarts: lab.restarts };
  const files = await writeExploreOutput({ dir: o.dir, base: o.base, result, runSeed, replay, runArgs: o.runArgs, overheads: runner.overheads, lab: labFigures });
  return { result, replay, files, overheads: runner.overheads, lab: labFigures };
}
