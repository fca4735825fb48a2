import { dirname, join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT, HarnessError } from '../errors.ts';
import { searchCapacity } from '../capacity/capacity-search.ts';
import { checkRateSearchOptions } from '../capacity/rate-search.ts';
import { baseRate, unsuitableBase } from '../capacity/step-scenario.ts';
import { loadSutSpec } from '../compare/sut-spec.ts';
import { eventTimeOrigin } from '../run/event-time-origin.ts';
import { freshSeed } from '../random.ts';
import { parseDuration } from '../../scenarios/model/duration.ts';
import { loadScenarioFile } from '../../scenarios/model/load-scenario-file.ts';
import { capacityLines, writeCapacityReport } from '../../reports/capacity-report.ts';
import { appendCapacityTrend } from '../../reports/index.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { printJson, progressLine } from './output.ts';
import { CLUSTER_USAGE, clusterChoice, clusterOptions, clusterReplayArgs, externalOptions } from './cluster-options.ts';
import { formatProgress, parseEventTimeOrigin } from './run.ts';

const usage =
  `streamproof capacity [--sut file|reference[:mode=at-least-once,...]] [--scenario base] [--budget 15m] [--seed N] [--start-rate R] [--max-rate R] [--resolution 0.1] [--warm-up 10s] [--measure 20s] [--event-time-origin ms] ${CLUSTER_USAGE} [--out dir] [--json]`;

const options = {
  sut: { type: 'string' },
  scenario: { type: 'string' },
  budget: { type: 'string' },
  seed: { type: 'string' },
  'start-rate': { type: 'string' },
  'max-rate': { type: 'string' },
  resolution: { type: 'string' },
  'warm-up': { type: 'string' },
  measure: { type: 'string' },
  'event-time-origin': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  ...clusterOptions,
} as const;

/** The default base: the suite's steady baseline, whose steady SLAs the search holds. */
const DEFAULT_BASE = fileURLToPath(new URL('../../scenarios/01-steady-baseline.ts', import.meta.url));
const RAMP_FACTOR = 2;
const DRAIN_MS = 5_000;

/** A path relative to the working directory when it is inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

function number(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new HarnessError('USAGE', `${flag} takes a number, got '${value}'`);
  return n;
}

const command: Command = {
  name: 'capacity',
  summary: "search the highest arrival rate the SUT sustains while holding the scenario's steady SLAs (ramp, then bisection)",
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, options, usage);
    const choice = clusterChoice(values);
    if (choice.provider === 'docker') throw new HarnessError('USAGE', 'capacity starts and reuses a local lab, or searches on your cluster with --provider external; --provider docker is not supported here');
    const external = choice.provider === 'external' ? externalOptions(choice) : undefined;
    const clusterArgs = clusterReplayArgs(values);
    const sutText = values.sut ?? 'reference';
    const spec = await loadSutSpec(sutText, '--sut');
    const baseFile = values.scenario ?? DEFAULT_BASE;
    const base = await loadScenarioFile(baseFile);
    const why = unsuitableBase(base);
    if (why) throw new HarnessError('USAGE', why);
    const budgetMs = parseDuration(values.budget ?? '15m', '--budget');
    const timing = { warmUpMs: parseDuration(values['warm-up'] ?? '10s', '--warm-up'), measureMs: parseDuration(values.measure ?? '20s', '--measure'), drainMs: DRAIN_MS };
    if (timing.measureMs < 5_000) throw new HarnessError('USAGE', `--measure must be at least 5s (lag growth needs samples), got ${values.measure}`);
    const search = checkRateSearchOptions({
      startRate: number(values['start-rate'], '--start-rate', baseRate(base)),
      maxRate: number(values['max-rate'], '--max-rate', 20_000),
      resolution: number(values.resolution, '--resolution', 0.1),
      factor: RAMP_FACTOR,
    });
    const seed = values.seed === undefined ? freshSeed() : intOption(values.seed, '--seed', 0);
    if (seed < 0 || seed > 0xffffffff) throw new HarnessError('USAGE', `--seed must be 0..${0xffffffff}, got ${seed}`);
    const eventTimeOriginMs = parseEventTimeOrigin(values['event-time-origin']) ?? eventTimeOrigin(Date.now(), seed);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = values.out ? resolve(values.out) : join(process.cwd(), 'runs', `${stamp}-capacity`);
    if (existsSync(join(dir, 'capacity.json'))) throw new HarnessError('USAGE', `${dir} already holds a capacity search: choose another --out`);

    const replay = [
      'streamproof capacity', ...(values.scenario ? ['--scenario', values.scenario] : []), '--sut', sutText, '--seed', String(seed), '--budget', values.budget ?? '15m',
      '--start-rate', String(search.startRate), '--max-rate', String(search.maxRate), '--resolution', String(search.resolution),
      '--warm-up', values['warm-up'] ?? '10s', '--measure', values.measure ?? '20s', '--event-time-origin', String(eventTimeOriginMs), ...clusterArgs,
    ].join(' ');
    progressLine(`[capacity] ${spec.description} on '${base.name}'${external ? ` on the cluster at ${external.bootstrapServers.join(',')}` : ''}, seed ${seed}, budget ${Math.round(budgetMs / 1000)} s; run dir ${shown(dir)}`);
    progressLine(`[capacity] replay: ${replay}`);
    let lastSample = 0;
    const result = await searchCapacity({
      base, sut: spec.sut, sutLabel: sutText, seed, eventTimeOriginMs, search, timing, budgetMs, dir, replay,
      replayArgs: ['--sut', sutText, ...clusterArgs],
      external,
      onLine: progressLine,
      onProgress: (p) => {
        if (p.message || Date.now() - lastSample < 10_000) return;
        lastSample = Date.now();
        progressLine(`  ${formatProgress(p)}`);
      },
    });
    const html = await writeCapacityReport(result);
    const trend = await appendCapacityTrend(dirname(dir), result);
    if (values.json) printJson({ ...result, files: { json: join(dir, 'capacity.json'), html, trend } });
    else {
      console.log('');
      for (const l of capacityLines(result)) console.log(l);
      console.log(`report: ${shown(html)}; trend: ${shown(trend)}`);
    }
    if (result.kneeEps !== null) return EXIT.pass;
    return result.stop === 'nothing-passed' ? EXIT.fail : EXIT.unknown;
  },
};
export default command;
