/** The run_meta every history of a run starts with (runSides and the failover drill write the same keys). */
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CHECKER_PARAMS_META_KEY, parseCheckerParams, type CheckerParams } from '../checkers/index.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { redact } from '../redaction.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { Scenario } from '../../scenarios/index.ts';

const VERSION = '0.1.0';

/** Checker parameters for this SUT (with the run's topic names): its declaration and promises, nothing derived from its name. */
export function checkerParamsFor(sut: SutConfig): CheckerParams {
  const { promises, checks } = sut;
  return parseCheckerParams({
    declared: sut,
    ...(promises.perKeyOrder === undefined ? {} : { perKeyOrder: promises.perKeyOrder }),
    ...(promises.exactlyOnce === undefined ? {} : { exactlyOnce: promises.exactlyOnce }),
    ...(checks.piiFields ? { piiFields: checks.piiFields } : {}),
    ...(checks.acceptedDlqReasons ? { acceptedDlqReasons: checks.acceptedDlqReasons } : {}),
  });
}

export interface RunMeta {
  scenario: Scenario;
  seed: number;
  runId: string;
  replay: string;
  cluster: Pick<StartedCluster, 'kafkaVersion' | 'provider'>;
  /** The SUT with the run's topic names. */
  sut: SutConfig;
  workload: { eventTimeSpeedup: number; eventsPerSecond: number; eventTimeOriginMs: number };
}

export async function recordRunMeta(history: HistoryWriter, m: RunMeta): Promise<void> {
  const { sut } = m;
  await history.setMeta('scenario', JSON.parse(JSON.stringify(m.scenario)));
  await history.setMeta('seed', m.seed);
  await history.setMeta('run.id', m.runId);
  await history.setMeta('replay', m.replay);
  await history.setMeta('versions', { streamproof: VERSION, node: process.version, kafka: m.cluster.kafkaVersion, provider: m.cluster.provider });
  await history.setMeta('sut', { name: sut.name, instances: sut.instances, topics: sut.topics, sinks: sut.sinks, promises: sut.promises });
  await history.setMeta(CHECKER_PARAMS_META_KEY, checkerParamsFor(sut));
  await history.setMeta('workload', m.workload);
}

/** scenario.json, seed and replay.txt: what a run dir says about how to run it again. */
export async function writeRunFiles(dir: string, scenario: Scenario, seed: number, replay: string): Promise<void> {
  await writeFile(join(dir, 'scenario.json'), redact(`${JSON.stringify(scenario, null, 2)}\n`));
  await writeFile(join(dir, 'seed'), `${seed}\n`);
  await writeFile(join(dir, 'replay.txt'), redact(`${replay}\n`));
}

/** The command replay.txt holds: `streamproof run <scenario> --seed N ...`, or `base --seed N ...`. */
export function replayCommand(scenario: Scenario, seed: number, extra: string[] = [], base?: string[]): string {
  if (base) return [...base, '--seed', String(seed), ...extra].join(' ');
  const rel = relative(process.cwd(), scenario.source);
  const source = scenario.source.startsWith("scenario '") ? scenario.name : rel === '' || rel.startsWith('..') ? scenario.source : rel;
  return ['streamproof', 'run', source, '--seed', String(seed), ...extra].join(' ');
}
