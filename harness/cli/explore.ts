import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, HarnessError } from '../errors.ts';
import { exploreOnLab } from '../explore/explore-on-lab.ts';
import { exploreMixOf } from '../explore/explore-mix.ts';
import { exploreReport } from '../explore/explore-report.ts';
import { freshSeed } from '../random.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import { loadSutFile } from '../sut/sut-file.ts';
import { parseBugs } from '../../pipeline/operators/bugs.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { parseDuration } from '../../scenarios/model/duration.ts';
import { loadScenarioFile } from '../../scenarios/model/load-scenario-file.ts';
import { CLUSTER_USAGE, clusterChoice, clusterOptions, clusterReplayArgs, externalOptions } from './cluster-options.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { printJson, progressLine } from './output.ts';
import { parseEventTimeOrigin } from './run.ts';
import { eventTimeOrigin } from '../run/event-time-origin.ts';

const usage =
  `streamproof explore [--scenario file] [--sut file | --bug name...] [--runs N] [--budget 20m] [--seed S] [--path P] [--no-shrink] [--confirm N] [--event-time-origin ms] ${CLUSTER_USAGE} [--out dir] [--json]`;

const options = {
  scenario: { type: 'string' },
  sut: { type: 'string' },
  bug: { type: 'string', multiple: true },
  runs: { type: 'string' },
  budget: { type: 'string' },
  seed: { type: 'string' },
  path: { type: 'string' },
  'no-shrink': { type: 'boolean' },
  confirm: { type: 'string' },
  'event-time-origin': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  ...clusterOptions,
} as const;

const DEFAULT_BASE = fileURLToPath(new URL('../explore/explore-base.ts', import.meta.url));
const PATH = /^\d+(:\d+)*$/;

function usageError(message: string): HarnessError {
  return new HarnessError('USAGE', `${message} (usage: ${usage})`);
}

const command: Command = {
  name: 'explore',
  summary: 'property-based chaos: draw fault schedules, run them on a lab, shrink a failure to a minimal replayable scenario',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, options, usage);
    if (values.sut && values.bug?.length) throw usageError('--bug plants a bug in the reference pipeline; it cannot be used with --sut');
    const bugs = [...parseBugs((values.bug ?? []).join(','))];
    const sut: SutConfig = values.sut ? await loadSutFile(values.sut) : referenceSut({ bugs });
    const choice = clusterChoice(values);
    if (choice.provider === 'docker') throw usageError('explore starts and reuses a local lab, or runs on your cluster with --provider external; --provider docker is not supported here');
    const external = choice.provider === 'external' ? externalOptions(choice) : undefined;
    // The replay, the minimal scenario's run line and each attempt's replay name the same SUT and cluster.
    const runArgs = [...(values.sut ? ['--sut', values.sut] : bugs.flatMap((b) => ['--bug', b])), ...clusterReplayArgs(values)];
    const base = await loadScenarioFile(values.scenario ?? DEFAULT_BASE);
    const mix = exploreMixOf(base);
    const runs = intOption(values.runs, '--runs', 50);
    if (runs < 1) throw usageError(`--runs must be at least 1, got ${runs}`);
    const confirmRuns = intOption(values.confirm, '--confirm', 3);
    if (confirmRuns < 0) throw usageError(`--confirm must be 0 or more, got ${confirmRuns}`);
    const budgetMs = parseDuration(values.budget ?? '20m', '--budget');
    const seed = values.seed === undefined ? freshSeed() : intOption(values.seed, '--seed', 0);
    if (seed < 0 || seed > 0x7fffffff) throw usageError(`--seed must be 0..${0x7fffffff}, got ${seed}`);
    if (values.path !== undefined && !PATH.test(values.path)) throw usageError(`--path takes a fast-check path such as 3:1:0, got '${values.path}'`);
    if (values.path !== undefined && values.seed === undefined) throw usageError('--path replays a path of one seed: give --seed too');
    // One event-time origin for every attempt (the same workload bytes), in the replay too.
    const eventTimeOriginMs = parseEventTimeOrigin(values['event-time-origin']) ?? eventTimeOrigin(Date.now(), base.seed ?? seed);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = values.out ? resolve(values.out) : join(process.cwd(), 'runs', `${stamp}-explore`);
    const scenarioArg = values.scenario ? ['--scenario', values.scenario] : [];
    const replayOf = (path: string | null) =>
      ['streamproof', 'explore', ...scenarioArg, ...runArgs, '--seed', String(seed), ...(path ? ['--path', path] : []), '--runs', String(runs), '--budget', values.budget ?? '20m', '--event-time-origin', String(eventTimeOriginMs)].join(' ');
    progressLine(`[explore] seed ${seed} (replay: ${replayOf(values.path ?? null)}); base ${base.name}, ${mix.types.length} fault types, up to ${mix.maxFaults} faults; ${external ? `cluster ${external.bootstrapServers.join(',')}` : 'a local lab'}; run dir ${relative(process.cwd(), dir) || dir}`);

    const { result, replay, files, overheads: perRun, lab } = await exploreOnLab({
      base, sut, runArgs, seed, eventTimeOriginMs, path: values.path, runs, budgetMs, confirmRuns, shrink: !values['no-shrink'], dir, replayOf, external, onLine: progressLine,
    });
    const overheads = perRun.map((o) => o.overheadMs);
    const meanOverhead = overheads.length > 0 ? overheads.reduce((a, b) => a + b, 0) / overheads.length : 0;
    if (values.json) {
      printJson({ ...result, replay, files });
    } else {
      console.log('');
      for (const line of exploreReport(result, replay)) console.log(line);
      if (files.minimal) console.log(`minimal scenario: ${relative(process.cwd(), files.minimal)} (streamproof run ${relative(process.cwd(), files.minimal)}${runArgs.length > 0 ? ` ${runArgs.join(' ')}` : ''} --event-time-origin ${eventTimeOriginMs})`);
      console.log(`per-run overhead: mean ${(meanOverhead / 1000).toFixed(1)} s over ${overheads.length} run(s) (lab, SUT start, drain, scan, judging); lab start ${lab.startsMs.map((s) => `${(s / 1000).toFixed(1)} s`).join(', ') || '-'}${lab.restarts.length > 0 ? `; lab restarted ${lab.restarts.length}x` : ''}`);
      console.log(`details: ${relative(process.cwd(), files.json)}`);
    }
    return result.outcome === 'nothing-found' ? EXIT.pass : result.outcome === 'minimal' ? EXIT.fail : EXIT.unknown;
  },
};
export default command;
