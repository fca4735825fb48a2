import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startCluster } from '../cluster/start-cluster.ts';
import { limitedDiskUnavailable } from '../cluster/disk-probe.ts';
import { externalRegistry, registryDir, registryFor, type LabRegistry } from '../registry/lab-registry.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { EXIT, HarnessError, isHarnessError } from '../errors.ts';
import { freshSeed } from '../random.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import { loadSutFile } from '../sut/sut-file.ts';
import type { RunProgress } from '../run/run-options.ts';
import { runScenario } from '../run/run-scenario.ts';
import { runFailoverDrill } from '../drill/run-failover-drill.ts';
import { checkScenarioTopics } from '../run/topic-refs.ts';
import { oracleSamples } from '../run/oracle-samples.ts';
import { checkOracleBinding } from '../sut/oracle-check.ts';
import type { RunResult, Verdict } from '../run/run-result.ts';
import { suiteVerdict } from '../run/run-result.ts';
import { repeatFailing } from '../run/repeat-failing.ts';
import { eventTimeOrigin } from '../run/event-time-origin.ts';
import { deleteRunTopics } from '../run/delete-run-topics.ts';
import { parseBugs } from '../../pipeline/operators/bugs.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { defaultSuite, loadScenarios, type Scenario } from '../../scenarios/index.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { CLUSTER_USAGE, clusterChoice, clusterOptions, clusterReplayArgs, openCluster } from './cluster-options.ts';
import { colour } from '../colour.ts';
import { applyCalibration } from '../calibrate/applied-calibration.ts';
import { readCalibrationFile } from '../calibrate/calibration-file.ts';
import { printJson, progressLine } from './output.ts';
import { paintVerdict, terminalSummary, writeReports, writeSuiteJunit, writeSuiteRecord, writeSuiteReport, type SuiteRecord } from '../../reports/index.ts';

export { paintVerdict };

const usageOf = (name: string) =>
  `streamproof ${name} [scenario files or dirs...] [--sut file] [--seed N] [--brokers N] ${CLUSTER_USAGE} [--schema-registry url] [--out dir] [--bug name]... [--event-time-origin ms] [--calibration file] [--repeat K] [--json]`;

const options = {
  sut: { type: 'string' },
  seed: { type: 'string' },
  brokers: { type: 'string' },
  ...clusterOptions,
  'schema-registry': { type: 'string' },
  out: { type: 'string' },
  bug: { type: 'string', multiple: true },
  'event-time-origin': { type: 'string' },
  calibration: { type: 'string' },
  repeat: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const VERDICT_EXIT: Record<Verdict, number> = { pass: EXIT.pass, fail: EXIT.fail, unknown: EXIT.unknown, flaky: EXIT.flaky };

/** The most further attempts `--repeat` takes: each is a whole scenario run. */
export const MAX_REPEAT = 10;

/** `--repeat K`: how many more times a failing scenario runs with the same seed (0: once only). */
export function parseRepeat(value: string | undefined): number {
  const k = intOption(value, '--repeat', 0);
  if (k < 0 || k > MAX_REPEAT) throw new HarnessError('USAGE', `--repeat takes 0..${MAX_REPEAT} further attempts of a failing scenario, got ${k}`);
  return k;
}

/** One progress line: `[leader-kill] fault 31s/85s rate 200/s lag 12 faults broker.kill`. */
export function formatProgress(p: RunProgress): string {
  if (p.message) return `[${p.scenario}] ${p.message}`;
  const secs = (ms: number) => `${Math.floor(ms / 1000)}s`;
  const faults = p.activeFaults.length > 0 ? p.activeFaults.join(',') : '-';
  const rate = p.rate === undefined ? '-' : `${Math.round(p.rate)}/s`;
  return `[${p.scenario}] ${p.phase.padEnd(8)} ${secs(p.elapsedMs)}/${secs(p.runMs)} rate ${rate} lag ${p.lag ?? '-'} faults ${faults}`;
}

export function liveReporter(): (p: RunProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastPlain = 0;
  return (p) => {
    if (p.message) {
      if (tty) process.stderr.write('\r\x1b[K');
      progressLine(formatProgress(p));
    } else if (tty) {
      process.stderr.write(`\r\x1b[K${formatProgress(p)}`);
    } else if (Date.now() - lastPlain >= 5000) {
      lastPlain = Date.now();
      progressLine(formatProgress(p));
    }
  };
}

/**
 * `run` and `drill` are one command with different defaults: the quality-gate suite, or the
 * calendar's drills. Either runs any scenario; a failover drill gets its DR site started beside the lab.
 */
export function suiteCommand(o: { name: string; summary: string; defaults: () => string[]; reference?: Omit<Parameters<typeof referenceSut>[0], 'bugs'> }): Command {
  const usage = usageOf(o.name);
  return {
    name: o.name,
    summary: o.summary,
    usage,
    async run(args) {
      const { values, positionals } = parseCommandArgs(args, options, usage, true);
      const choice = clusterChoice(values);
      const provider = choice.provider;
      if (values.sut && values.bug?.length) throw new HarnessError('USAGE', '--bug plants a bug in the reference pipeline; it cannot be used with --sut');
      const bugs = [...parseBugs((values.bug ?? []).join(','))];
      const sut: SutConfig = values.sut ? await loadSutFile(values.sut) : referenceSut({ ...o.reference, bugs });
      const replayArgs = [...(values.sut ? ['--sut', values.sut] : bugs.flatMap((b) => ['--bug', b])), ...(values.calibration ? ['--calibration', values.calibration] : []), ...(values.brokers ? ['--brokers', values.brokers] : []), ...clusterReplayArgs(values), ...(values['schema-registry'] ? ['--schema-registry', values['schema-registry']] : [])];
      const scenarios = await calibrated(await loadScenarios(positionals.length > 0 ? positionals : o.defaults()), values.calibration);
      for (const scenario of scenarios) checkScenarioTopics(scenario, sut); // before a lab starts
      const drill = scenarios.find((s) => s.sites);
      if (drill && provider === 'external') throw new HarnessError('USAGE', `'${drill.name}' is a failover drill: it needs two labs the harness starts and kills (--provider local or docker)`);
      for (const scenario of scenarios) await checkOracleBinding(sut, values.sut ?? 'reference', oracleSamples(scenario, 1));
      const seedFlag = values.seed === undefined ? undefined : intOption(values.seed, '--seed', 0);
      if (seedFlag !== undefined && (seedFlag < 0 || seedFlag > 0xffffffff)) throw new HarnessError('USAGE', `--seed must be 0..${0xffffffff}, got ${seedFlag}`);
      const eventTimeOriginMs = parseEventTimeOrigin(values['event-time-origin']);
      const repeat = parseRepeat(values.repeat);
      const diskMb = await brokerDiskFor(scenarios, provider);
      const needed = Math.max(...scenarios.map((s) => s.brokers));
      const brokers = intOption(values.brokers, '--brokers', needed);
      if (brokers < needed) throw new HarnessError('USAGE', `--brokers ${brokers}: the scenarios need ${needed} brokers`);

      // One folder per suite (`--out`, else runs/<stamp>-<command>): a folder per scenario, the lab's, the suite report.
      const startedIso = new Date().toISOString();
      const runsRoot = join(process.cwd(), 'runs');
      const base = values.out ? resolve(values.out) : join(runsRoot, `${startedIso.replace(/[:.]/g, '-')}-${o.name}`);
      const trendDir = values.out ? base : runsRoot;
      const dirOf = (s: Scenario) => join(base, s.name);
      // A history is appended to, never replaced: a second run into the same directory would mix two runs.
      const taken = scenarios.map(dirOf).find((dir) => existsSync(join(dir, 'history.duckdb')));
      if (taken) throw new HarnessError('USAGE', `${taken} already holds a run (history.duckdb): choose another --out or move it away`);
      await mkdir(base, { recursive: true });
      if (!values.out) await pointLatest(runsRoot, base);

      const startedAt = performance.now();
      const report = liveReporter();
      const results: RunResult[] = [];
      const errors: { scenario: string; error: string }[] = [];
      const suite: SuiteRecord = { command: o.name, startedAt: startedIso, wallSeconds: null, scenarios: scenarios.map((s) => ({ name: s.name, dir: s.name })), errors };
      // index.html and summary.md after every scenario: a stopped suite still shows what it ran.
      const writeSuite = async () => {
        await writeSuiteRecord(base, suite);
        return writeSuiteReport(base).catch((error: unknown) => void progressLine(`${colour.yellow('suite report not written')}: ${(error as Error).message}`));
      };
      await writeSuite();
      let cluster: StartedCluster | undefined;
      let registry: LabRegistry | undefined;
      // The DR site of failover drills: started with the first drill that needs it, then kept.
      let dr: StartedCluster | undefined;
      const drLab = async (brokers: number): Promise<StartedCluster> => {
        if (dr?.brokers().length === brokers) return dr;
        await dr?.stop();
        progressLine(`starting the DR site (${brokers} broker${brokers > 1 ? 's' : ''})`);
        dr = await startCluster({ provider: provider as Exclude<typeof provider, 'external'>, brokers, runDir: join(base, 'cluster-dr'), onProgress: progressLine });
        return dr;
      };
      try {
        cluster = await openCluster(choice, { brokers, diskMb, runDir: join(base, 'cluster'), onProgress: progressLine });
        // A registry when a scenario sends through one: the user's, or one started beside the lab.
        if (values['schema-registry']) registry = externalRegistry(values['schema-registry']);
        else registry = await registryFor(scenarios, cluster, registryDir(base), progressLine);
        for (const scenario of scenarios) {
          const seed = seedFlag ?? scenario.seed ?? freshSeed();
          progressLine(`[${scenario.name}] seed ${seed}: ${scenario.description}`);
          const runDir = dirOf(scenario);
          // Fixed before the first attempt, so a repeat sends the same bytes (like a replay).
          const origin = eventTimeOriginMs ?? eventTimeOrigin(Date.now(), seed);
          const attemptInto = async (dir: string) => {
            const common = { scenario, sut, seed, runDir: dir, onProgress: report, replayArgs, eventTimeOriginMs: origin, registry };
            if (scenario.sites) return runFailoverDrill({ ...common, primary: cluster!, dr: await drLab(scenario.sites.dr.brokers) });
            const result = await runScenario({ ...common, cluster: cluster! });
            // The next scenario meets the lab without this one's partitions (delete-run-topics.ts).
            await deleteRunTopics(cluster!, join(result.runDir, 'history.duckdb')).catch((error: unknown) => progressLine(`[${scenario.name}] ${colour.yellow('its topics were not deleted')}: ${(error as Error).message}`));
            return result;
          };
          const reportsOf = (dir: string, trend: boolean) =>
            writeReports(dir, trend ? { runsDir: trendDir } : { stepSummary: null }).catch((error: unknown) => void progressLine(`[${scenario.name}] ${colour.yellow('reports not written')}: ${(error as Error).message}`));
          try {
            const first = await attemptInto(runDir);
            if (first.verdict === 'fail' && repeat > 0) progressLine(`[${scenario.name}] ${paintVerdict('fail')}: running it again with seed ${seed} (at most ${repeat} more)`);
            const result = await repeatFailing({
              first,
              repeat,
              runAttempt: (_, dir) => attemptInto(dir),
              onAttempt: async (a) => {
                if (a.verdict !== 'error') await reportsOf(join(runDir, a.dir), false);
                progressLine(`[${scenario.name}] attempt ${a.attempt}: ${a.verdict === 'error' ? colour.yellow(a.error ?? 'ERROR') : paintVerdict(a.verdict)} (${join(runDir, a.dir)})`);
              },
            });
            results.push(result);
            await reportsOf(runDir, true);
            progressLine(`[${scenario.name}] ${paintVerdict(result.verdict)} (${runDir})`);
          } catch (error) {
            if (!isHarnessError(error) || error.exitCode !== EXIT.infrastructure) throw error;
            errors.push({ scenario: scenario.name, error: error.toLine() });
            progressLine(`[${scenario.name}] ${colour.yellow('ERROR')} ${error.toLine()}`);
          }
          await writeSuite();
        }
      } finally {
        await registry?.stop();
        await dr?.stop();
        await cluster?.stop();
      }
      if (results.length > 0) await writeSuiteJunit(results.map((r) => r.runDir), join(base, 'junit.xml')).catch(() => undefined);
      const wallSeconds = Math.round((performance.now() - startedAt) / 1000);
      suite.wallSeconds = wallSeconds;
      const written = await writeSuite();

      const verdict = suiteVerdict(results.map((r) => r.verdict), errors.length);
      if (values.json) printJson({ results, errors, wallSeconds, suiteDir: base, ...(written ? { suiteReport: { html: written.html, markdown: written.markdown } } : {}) });
      else {
        console.log('');
        for (const l of terminalSummary(results, errors)) console.log(l);
        console.log(`\n${scenarios.length} scenario(s), verdict ${verdict === 'error' ? colour.yellow('ERROR') : paintVerdict(verdict)}${errors.length ? ` (${errors.length} could not run)` : ''}, total wall time ${Math.floor(wallSeconds / 60)} min ${wallSeconds % 60} s`);
        if (written) console.log(`suite report: ${written.html}`);
      }
      return verdict === 'error' ? EXIT.infrastructure : VERDICT_EXIT[verdict];
    },
  };
}

export default suiteCommand({ name: 'run', summary: 'run scenarios (default: the quality-gate suite) against a SUT on a local lab; exit with the worst verdict', defaults: defaultSuite });

/**
 * The size of each broker's own disk for this run's lab (the largest any scenario asks for), or
 * undefined. Refused before a lab starts when disks cannot be had: another provider, no root, no mount.
 */
export async function brokerDiskFor(scenarios: Scenario[], provider: string): Promise<number | undefined> {
  const asking = scenarios.filter((s) => s.brokerDiskMb !== undefined);
  if (asking.length === 0) return undefined;
  const why = provider === 'local' ? await limitedDiskUnavailable() : `size-limited broker disks need the local provider, not ${provider}`;
  if (why) throw new HarnessError('FAULT_UNSUPPORTED', `'${asking[0]!.name}' asks for size-limited broker disks (brokerDiskMb: what disk.full fills), unavailable here: ${why}`);
  return Math.max(...asking.map((s) => s.brokerDiskMb!));
}

/** The scenarios with a calibration file's bounds (`--calibration`), saying what changed. */
export async function calibrated(scenarios: Scenario[], file: string | undefined): Promise<Scenario[]> {
  if (file === undefined) return scenarios;
  const applied = applyCalibration(scenarios, await readCalibrationFile(file), file);
  applied.lines.forEach((l) => progressLine(l));
  return applied.scenarios;
}

/** `--event-time-origin <ms>`: epoch ms of the main workload's record 0 (a replay passes the recorded one). */
export function parseEventTimeOrigin(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(ms) || ms > 8.64e15) throw new HarnessError('USAGE', `--event-time-origin takes epoch milliseconds (a whole number, e.g. 1796170800000), got '${value}'`);
  return ms;
}

async function pointLatest(base: string, runDir: string): Promise<void> {
  const link = join(base, 'latest');
  try {
    if (existsSync(link)) await rm(link, { force: true });
    await symlink(runDir, link);
  } catch {
    // best effort
  }
}
