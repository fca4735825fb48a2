import { writeReports } from '../../reports/index.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { registryDir, registryFor, type LabRegistry } from '../registry/lab-registry.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import { freshSeed } from '../random.ts';
import { canarySplit, runCanaryComparison, type FaultedSides } from '../compare/canary-run.ts';
import { comparisonTable } from '../compare/comparison-table.ts';
import type { ComparisonResult } from '../compare/comparison-result.ts';
import { runShadowComparison } from '../compare/shadow-run.ts';
import { loadSutSpec } from '../compare/sut-spec.ts';
import { loadScenarioFile } from '../../scenarios/index.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { CLUSTER_USAGE, clusterChoice, clusterOptions, clusterReplayArgs, openCluster } from './cluster-options.ts';
import { colour } from '../colour.ts';
import { printJson, progressLine } from './output.ts';
import { brokerDiskFor, formatProgress, paintVerdict, parseEventTimeOrigin, VERDICT_EXIT } from './run.ts';
import { eventTimeOrigin } from '../run/event-time-origin.ts';

const usage =
  `streamproof compare --baseline <sut> --candidate <sut> [--mode shadow|canary] [--scenario file] [--fraction F] [--aa] [--faults-on both|baseline|candidate] [--seed N] [--brokers N] ${CLUSTER_USAGE} [--tolerance R] [--ignore-field topic:field]... [--event-time-origin ms] [--out dir] [--json]` +
  '   (<sut>: a SUT file, or reference, reference:bug=<name>, reference:delay-ms=<ms>, reference:fetch-wait-ms=<ms>, reference:mode=<mode>; options join with commas)';

const options = {
  baseline: { type: 'string' },
  candidate: { type: 'string' },
  mode: { type: 'string' },
  scenario: { type: 'string' },
  fraction: { type: 'string' },
  aa: { type: 'boolean' },
  'faults-on': { type: 'string' },
  seed: { type: 'string' },
  brokers: { type: 'string' },
  ...clusterOptions,
  tolerance: { type: 'string' },
  'ignore-field': { type: 'string', multiple: true },
  'event-time-origin': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const DEFAULT_SCENARIO = {
  shadow: join(import.meta.dirname, '..', 'compare', 'scenarios', 'shadow-steady.ts'),
  canary: join(import.meta.dirname, '..', 'compare', 'scenarios', 'canary-steady.ts'),
};

function numberOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new HarnessError('USAGE', `${flag} takes a number, got '${value}'`);
  return n;
}

const command: Command = {
  name: 'compare',
  summary: 'compare a candidate SUT against a baseline (shadow: both on the same input; canary: both in one group); exit with the verdict',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, options, usage);
    const choice = clusterChoice(values);
    if (!values.baseline || !values.candidate) throw new HarnessError('USAGE', `--baseline and --candidate are required (usage: ${usage})`);
    const mode = values.mode ?? 'shadow';
    if (mode !== 'shadow' && mode !== 'canary') throw new HarnessError('USAGE', `--mode must be shadow or canary, got '${mode}'`);
    const fraction = numberOption(values.fraction, '--fraction');
    if (mode === 'shadow' && fraction !== undefined) throw new HarnessError('USAGE', '--fraction is for --mode canary');
    if (mode === 'canary' && values.aa) throw new HarnessError('USAGE', '--aa is for --mode shadow (a canary compares behaviour, not records)');
    const faultsOn = (values['faults-on'] ?? 'both') as FaultedSides;
    if (!['both', 'baseline', 'candidate'].includes(faultsOn)) throw new HarnessError('USAGE', `--faults-on must be both, baseline or candidate, got '${faultsOn}'`);
    if (mode === 'shadow' && faultsOn !== 'both') throw new HarnessError('USAGE', '--faults-on is for --mode canary (in shadow mode faults hit both versions alike)');
    const relative = numberOption(values.tolerance, '--tolerance');
    if (relative !== undefined && relative < 0) throw new HarnessError('USAGE', `--tolerance must be >= 0, got ${relative}`);
    for (const f of values['ignore-field'] ?? []) if (!/^[^:]+:.+$/.test(f)) throw new HarnessError('USAGE', `--ignore-field takes <topic>:<field> (e.g. orders.gold.v1:emitted_at), got '${f}'`);
    const seedFlag = values.seed === undefined ? undefined : intOption(values.seed, '--seed', 0);
    if (seedFlag !== undefined && (seedFlag < 0 || seedFlag > 0xffffffff)) throw new HarnessError('USAGE', `--seed must be 0..${0xffffffff}, got ${seedFlag}`);

    const baseline = await loadSutSpec(values.baseline, '--baseline');
    const candidate = await loadSutSpec(values.candidate, '--candidate');
    const scenario = await loadScenarioFile(values.scenario ?? DEFAULT_SCENARIO[mode]);
    const brokers = intOption(values.brokers, '--brokers', scenario.brokers);
    if (brokers < scenario.brokers) throw new HarnessError('USAGE', `--brokers ${brokers}: the scenario needs ${scenario.brokers}`);
    if (mode === 'canary') canarySplit(scenario.sut.instances ?? baseline.sut.instances, fraction ?? 0.5); // usage errors before a lab starts
    const seed = seedFlag ?? scenario.seed ?? freshSeed();
    const eventTimeOriginMs = parseEventTimeOrigin(values['event-time-origin']) ?? eventTimeOrigin(Date.now(), seed);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const runDir = values.out ? resolve(values.out) : join(process.cwd(), 'runs', `${stamp}-compare-${mode}-${scenario.name}`);
    await mkdir(runDir, { recursive: true });
    const replayArgs = ['--mode', mode, '--baseline', values.baseline, '--candidate', values.candidate, ...(fraction === undefined ? [] : ['--fraction', String(fraction)]), ...(values.aa ? ['--aa'] : []), ...(faultsOn !== 'both' ? ['--faults-on', faultsOn] : []), '--event-time-origin', String(eventTimeOriginMs), ...clusterReplayArgs(values)];
    progressLine(`[compare] ${mode}: '${candidate.text}' (${candidate.description}) against '${baseline.text}' (${baseline.description}), scenario ${scenario.name}, seed ${seed}, run dir ${runDir}`);

    let cluster: StartedCluster | undefined;
    let registry: LabRegistry | undefined;
    let result: ComparisonResult;
    try {
      cluster = await openCluster(choice, { brokers, diskMb: await brokerDiskFor([scenario], choice.provider), runDir: join(runDir, 'cluster'), onProgress: progressLine });
      registry = await registryFor([scenario], cluster, registryDir(runDir), progressLine);
      const common = { scenario, cluster, registry, seed, runDir, baseline, candidate, eventTimeOriginMs, onProgress: (p: Parameters<typeof formatProgress>[0]) => (p.message ? progressLine(formatProgress(p)) : undefined) };
      result =
        mode === 'shadow'
          ? await runShadowComparison({ ...common, aa: values.aa === true, tolerance: relative === undefined ? undefined : { relative }, ignoreFields: values['ignore-field'] })
          : await runCanaryComparison({ ...common, fraction: fraction ?? 0.5, faultsOn });
    } finally {
      await registry?.stop();
      await cluster?.stop();
    }
    result = { ...result, replay: compareReplay(scenario.source, seed, replayArgs, values.scenario !== undefined) };
    await writeFile(join(runDir, 'replay.txt'), `${result.replay}\n`);
    await writeFile(join(runDir, 'comparison.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeReports(runDir).catch((error: unknown) => progressLine(`[compare] ${colour.yellow('reports not written')}: ${(error as Error).message}`));
    if (values.json) printJson(result);
    else {
      console.log('');
      for (const line of comparisonTable(result)) console.log(line);
      console.log(`\nverdict ${paintVerdict(result.verdict)} (${colour.dim(join(runDir, 'comparison.json'))})`);
    }
    return VERDICT_EXIT[result.verdict];
  },
};
export default command;

/** One command line that repeats the comparison with the same seed. */
function compareReplay(scenarioSource: string, seed: number, args: string[], explicitScenario: boolean): string {
  const scenario = relative(process.cwd(), scenarioSource);
  return ['streamproof', 'compare', ...args.map(quoteArg), ...(explicitScenario ? ['--scenario', scenario.startsWith('..') ? scenarioSource : scenario] : []), '--seed', String(seed)].join(' ');
}

const quoteArg = (arg: string) => (/^[\w.,:=+\/-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
