import { writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { registryDir, registryFor, type LabRegistry } from '../registry/lab-registry.ts';
import { startLocalCluster } from '../cluster/local-provider.ts';
import { EXIT, HarnessError, isHarnessError } from '../errors.ts';
import { judgeCell, matrixTable, summarize, type MatrixCell } from '../mutants/mutation-matrix.ts';
import { MUTANT_PLAN, plannedBugs } from '../mutants/mutation-plan.ts';
import { runScenario } from '../run/run-scenario.ts';
import { parseBugs, type BugName } from '../../pipeline/operators/bugs.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { defaultSuite, loadScenarios } from '../../scenarios/index.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { progressLine } from './output.ts';
import { calibrated, formatProgress } from './run.ts';

const usage = 'streamproof validate-mutants [--bug name]... [--full] [--skip-clean] [--seed N] [--calibration file] [--out dir]';

const options = {
  bug: { type: 'string', multiple: true },
  full: { type: 'boolean' },
  'skip-clean': { type: 'boolean' },
  seed: { type: 'string' },
  out: { type: 'string' },
  calibration: { type: 'string' },
} as const;

/**
 * The mutation matrix: the clean reference pipeline on every default-suite scenario, and
 * each planted bug on the scenarios meant to expose it (`--full`: on every scenario). Exits 0
 * only when every bug is caught by an intended checker and the clean pipeline passes.
 */
const command: Command = {
  name: 'validate-mutants',
  summary: 'prove the gate: run the default suite on the clean pipeline and on each planted bug; print the matrix',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, options, usage);
    const bugs: BugName[] = values.bug?.length ? [...parseBugs(values.bug.join(','))] : plannedBugs();
    const seed = intOption(values.seed, '--seed', 1);
    const suite = await calibrated(await loadScenarios(defaultSuite()), values.calibration);
    const byName = new Map(suite.map((s) => [s.name, s]));
    const out = resolve(values.out ?? join('runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-mutants`));
    await mkdir(out, { recursive: true });

    const plan: { variant: MatrixCell['variant']; scenario: string }[] = [];
    if (!values['skip-clean']) for (const s of suite) plan.push({ variant: 'clean', scenario: s.name });
    for (const bug of bugs) {
      const targets = values.full ? suite.map((s) => s.name) : MUTANT_PLAN[bug].scenarios;
      for (const t of targets) {
        if (!byName.has(t)) throw new HarnessError('CONFIG_INVALID', `mutation plan of '${bug}' names scenario '${t}', which is not in the default suite`);
        plan.push({ variant: bug, scenario: t });
      }
    }
    const started = performance.now();
    progressLine(`mutation matrix: ${plan.length} runs (seed ${seed}) -> ${out}`);
    const cells: MatrixCell[] = [];
    const cluster = await startLocalCluster({ brokers: 3, runDir: join(out, 'cluster'), onProgress: progressLine });
    let registry: LabRegistry | undefined;
    try {
      registry = await registryFor(plan.map((c) => byName.get(c.scenario)!), cluster, registryDir(out), progressLine);
      for (const [i, cell] of plan.entries()) {
        const scenario = byName.get(cell.scenario)!;
        const sut = referenceSut({ bugs: cell.variant === 'clean' ? [] : [cell.variant] });
        const runDir = join(out, `${cell.variant}--${cell.scenario}`);
        progressLine(`[${i + 1}/${plan.length}] ${cell.variant} x ${cell.scenario}`);
        try {
          const result = await runScenario({
            scenario, sut, cluster, registry, seed, runDir, drainTimeoutMs: 30_000,
            replayArgs: [...(cell.variant === 'clean' ? [] : ['--bug', cell.variant]), ...(values.calibration ? ['--calibration', values.calibration] : [])],
            onProgress: (p) => p.message === undefined || progressLine(formatProgress(p)),
          });
          const judged = judgeCell(cell.variant, result);
          cells.push(judged);
          progressLine(`[${i + 1}/${plan.length}] ${cell.variant} x ${cell.scenario}: ${result.verdict}${judged.failedBy.length ? ` by ${judged.failedBy.join(',')}` : ''} -> ${judged.expected ? 'as expected' : 'NOT as expected'}`);
        } catch (error) {
          if (!isHarnessError(error) || error.exitCode !== EXIT.infrastructure) throw error;
          cells.push({ ...cell, verdict: 'error', failedBy: [], expected: false, runDir, error: error.toLine() });
          progressLine(`[${i + 1}/${plan.length}] ${cell.variant} x ${cell.scenario}: ERROR ${error.toLine()}`);
        }
      }
    } finally {
      await registry?.stop();
      await cluster.stop();
    }
    const summary = summarize(cells);
    const minutes = (performance.now() - started) / 60_000;
    await writeFile(join(out, 'matrix.json'), `${JSON.stringify({ seed, cells, summary, minutes }, null, 2)}\n`);
    console.log('');
    for (const line of matrixTable(cells, suite.map((s) => s.name))) console.log(line);
    console.log('');
    console.log(`detection rate: ${summary.caught}/${summary.bugs} planted bugs caught by their intended checker (${Math.round(summary.detectionRate * 100)}%)${summary.missed.length ? `; missed: ${summary.missed.join(', ')}` : ''}`);
    if (summary.cleanRuns > 0) console.log(`clean pipeline: ${summary.cleanPasses}/${summary.cleanRuns} scenarios passed`);
    console.log(`${plan.length} runs in ${minutes.toFixed(1)} min; matrix: ${join(out, 'matrix.json')}`);
    const ok = summary.missed.length === 0 && summary.cleanPasses === summary.cleanRuns && cells.every((c) => c.verdict !== 'error');
    return ok ? EXIT.pass : cells.some((c) => c.verdict === 'error') ? EXIT.infrastructure : EXIT.fail;
  },
};
export default command;
