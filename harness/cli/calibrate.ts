import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, HarnessError } from '../errors.ts';
import type { RunResult } from '../run/run-result.ts';
import { calibrateScenario, type Calibration } from '../calibrate/calibration.ts';
import { writeCalibrationFile } from '../calibrate/calibration-file.ts';
import { calibrationTable } from '../calibrate/calibration-table.ts';
import { defaultSuite, loadScenarios } from '../../scenarios/index.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { progressLine } from './output.ts';
import { CLUSTER_USAGE, clusterChoice, clusterOptions } from './cluster-options.ts';

const usage = `streamproof calibrate [scenario files or dirs...] --runs N [--margin F] [--out dir] [--write file] [--sut file] [--brokers N] ${CLUSTER_USAGE} [--schema-registry url]`;

const options = {
  runs: { type: 'string' },
  margin: { type: 'string' },
  out: { type: 'string' },
  write: { type: 'string' },
  sut: { type: 'string' },
  brokers: { type: 'string' },
  'schema-registry': { type: 'string' },
  ...clusterOptions,
} as const;

/** Flags handed to each `run` unchanged (the cluster's, security included, are checked there). */
const RUN_FLAGS = ['sut', 'brokers', 'schema-registry', ...(Object.keys(clusterOptions) as (keyof typeof clusterOptions)[])] as const;

const STREAMPROOF = join(import.meta.dirname, '..', '..', 'bin', 'streamproof.js');

/** One `streamproof run` in a child process (each run its own lab and fresh seeds, as CI runs it); its exit code. */
function runOnce(args: string[]): Promise<number> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [STREAMPROOF, 'run', ...args], { stdio: 'inherit' });
    child.on('error', failed);
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' ? EXIT.interrupted : EXIT.infrastructure)));
  });
}

/**
 * Runs the scenarios N times on the clean SUT with fresh seeds and proposes each timing and
 * throughput SLA's bound from what was measured (harness/calibrate/). `run --calibration <file>`
 * applies the file; the scenarios themselves are not edited.
 */
const command: Command = {
  name: 'calibrate',
  summary: "propose SLA bounds from N runs of your clean SUT on your machine; `run --calibration <file>` applies them",
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, options, usage, true);
    if (values.runs === undefined) throw new HarnessError('USAGE', `--runs N is required (usage: ${usage})`);
    const runs = intOption(values.runs, '--runs', 0);
    if (runs < 2) throw new HarnessError('USAGE', `--runs must be at least 2 (one run shows no spread), got ${runs}`);
    const margin = values.margin === undefined ? 0.5 : Number(values.margin);
    if (!Number.isFinite(margin) || margin < 0 || margin > 10) throw new HarnessError('USAGE', `--margin takes a number from 0 to 10 (0.5: bounds at the worst run x 1.5), got '${values.margin}'`);
    const files = positionals.length > 0 ? positionals : defaultSuite();
    clusterChoice(values); // the cluster and security flags, refused here as each run would (before any lab)
    const scenarios = await loadScenarios(files); // refuses a bad file before any lab starts
    const out = resolve(values.out ?? join('runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-calibration`));
    const target = resolve(values.write ?? join(out, 'calibration.json'));
    const passed = RUN_FLAGS.flatMap((f) => (values[f] === undefined ? [] : [`--${f}`, values[f]!]));
    await mkdir(out, { recursive: true });

    const results = new Map<string, RunResult[]>(scenarios.map((s) => [s.name, []]));
    const missing: string[] = [];
    const verdictOf = (dir: string, scenario: string) => join(dir, scenario, 'verdict.json');
    for (let k = 1; k <= runs; k++) {
      const dir = join(out, `run-${String(k).padStart(2, '0')}`);
      // Ten runs of a suite outlast a sitting: a run an earlier `calibrate --out <same dir>` finished is kept, not repeated.
      if (existsSync(dir) && scenarios.every((s) => existsSync(verdictOf(dir, s.name)))) {
        progressLine(`calibration run ${k}/${runs}: kept from an earlier sitting (${dir})`);
      } else {
        if (existsSync(dir)) {
          const aside = `${dir}.unfinished-${new Date().toISOString().replace(/[:.]/g, '-')}`;
          await rename(dir, aside); // an interrupted run is kept for its evidence, never reused
          progressLine(`calibration run ${k}/${runs}: an earlier attempt did not finish, moved to ${aside}`);
        }
        progressLine(`calibration run ${k}/${runs} -> ${dir}`);
        const code = await runOnce([...files, ...passed, '--out', dir]);
        if (code === EXIT.usage || code === EXIT.interrupted) return code;
      }
      for (const s of scenarios) {
        const verdict = verdictOf(dir, s.name);
        if (existsSync(verdict)) results.get(s.name)!.push(JSON.parse(readFileSync(verdict, 'utf8')) as RunResult);
        else missing.push(`${s.name} in run ${k}`);
      }
    }

    const calibration: Calibration = {
      kind: 'streamproof-calibration', schemaVersion: 1, generatedAt: new Date().toISOString(), sut: values.sut ?? 'reference', margin,
      host: { cpus: availableParallelism(), loadAverage1m: Number(loadavg()[0]!.toFixed(2)) },
      scenarios: Object.fromEntries([...results].filter(([, r]) => r.length > 0).map(([name, r]) => [name, calibrateScenario(r, margin)])),
    };
    await writeCalibrationFile(target, calibration);
    console.log('');
    for (const line of calibrationTable(calibration)) console.log(line);
    console.log(`\ncalibration: ${target} (apply with: streamproof run --calibration ${target})`);
    const unclean = Object.values(calibration.scenarios).flatMap((c) => c.runs.filter((r) => !r.used));
    const unproposed = Object.values(calibration.scenarios).flatMap((c) => c.slas.filter((s) => s.proposed === null));
    if (missing.length > 0) progressLine(`no result (the run could not start or finish it): ${missing.join(', ')}`);
    if (unclean.length > 0) {
      progressLine(`${unclean.length} run(s) failed a checker and were left out: a false alarm or a bug of the SUT, see their run directories`);
      return EXIT.fail;
    }
    if (missing.length > 0) return EXIT.infrastructure;
    return unproposed.length > 0 ? EXIT.unknown : EXIT.pass;
  },
};
export default command;
