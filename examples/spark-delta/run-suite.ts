/**
 * `npm run examples:spark`: the Spark + Delta example's acceptance in one command.
 *
 * 1. prepares Spark and Delta (tool cache, with progress) and runs the suite on the clean job:
 *    every scenario must pass with every checker decided (no `unknown`);
 * 2. runs the planted variant (SPARK_EXAMPLE_PLANT=processing-time-windows) on steady-baseline:
 *    it must fail, on `aggregates`;
 * 3. runs crash-restart declared as exactly-once on the silver topic (sut-claims-exactly-once.ts):
 *    its kills land during a batch's Delta commit, after its Kafka write, so `duplicates` must fail
 *    on the silver topic while the Delta tables hold no extra copy.
 * Prints the wall time and the peak memory (the whole run, and the Spark job alone). Exit 0 when
 * every expectation held, 1 when one did not, 2 on bad usage.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureSparkDelta } from '../../harness/tools/spark-delta.ts';
import { samplePeakMemory } from './peak-memory.ts';

const here = import.meta.dirname;
const root = join(here, '..', '..');
const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, out: { type: 'string' } }, strict: true });
if (!/^\d+$/.test(values.seed!)) {
  console.error(`examples:spark: --seed must be an integer, got '${values.seed}'`);
  process.exit(2);
}
const out = values.out ?? join(root, 'runs', `spark-delta-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const say = (line: string) => console.log(`[examples:spark] ${line}`);
const started = Date.now();
const memory = samplePeakMemory(process.pid, (cmd) => cmd.includes('spark-delta/job.py'));

interface Check {
  checker: string;
  valid: boolean | 'unknown';
  summary: string;
  skipped?: string;
  counts: Record<string, number>;
}
interface Report {
  scenario: { name: string };
  verdict: string;
  checks: Check[];
}

function streamproof(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'streamproof.js'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function reports(dir: string): Report[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'report.json')))
    .map((d) => JSON.parse(readFileSync(join(dir, d.name, 'report.json'), 'utf8')) as Report);
}

const extra = (c: Check | undefined, copy: string) => c?.counts[`${copy}: extra copies`] ?? c?.counts[`${copy}: repeated keys`];
const failures: string[] = [];
const expect = (ok: boolean, line: string) => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
  if (!ok) failures.push(line);
};

say('preparing Spark and Delta (first use: a venv and the jars in the tool cache)');
await ensureSparkDelta((line) => say(line));

say(`1/3 the suite on the clean job (seed ${values.seed}) → ${join(out, 'clean')}`);
await streamproof(['run', 'examples/spark-delta/scenarios', '--sut', 'examples/spark-delta/sut.ts', '--seed', values.seed!, '--out', join(out, 'clean')]);
const clean = reports(join(out, 'clean'));
expect(clean.length === readdirSync(join(here, 'scenarios')).filter((f) => f.endsWith('.ts')).length, `${clean.length} scenarios judged`);
for (const r of clean) {
  const unknown = r.checks.filter((c) => c.valid === 'unknown').map((c) => c.checker);
  expect(r.verdict === 'pass' && unknown.length === 0, `${r.scenario.name}: ${r.verdict}${unknown.length ? `, unknown: ${unknown.join(', ')}` : ', every checker decided'}`);
  const gold = r.checks.find((c) => c.checker === 'aggregates');
  if (gold) say(`     ${r.scenario.name} aggregates: ${gold.summary}`);
  const dup = r.checks.find((c) => c.checker === 'duplicates');
  if (dup) say(`     ${r.scenario.name} duplicates: silver topic +${extra(dup, 'records+late') ?? '?'}, Delta silver +${extra(dup, 'sink sink:silver') ?? '?'}, Delta bronze +${extra(dup, 'bronze sink:bronze') ?? '?'}, Delta gold repeated keys ${extra(dup, 'sink:gold') ?? '?'}`);
}

say(`2/3 the planted variant (processing-time windows) on steady-baseline → ${join(out, 'planted')}`);
await streamproof(['run', 'examples/spark-delta/scenarios/01-steady-baseline.ts', '--sut', 'examples/spark-delta/sut.ts', '--seed', values.seed!, '--out', join(out, 'planted')], { SPARK_EXAMPLE_PLANT: 'processing-time-windows' });
const [planted] = reports(join(out, 'planted'));
const plantedFailing = planted?.checks.filter((c) => c.valid === false).map((c) => c.checker) ?? [];
expect(planted?.verdict === 'fail' && plantedFailing.includes('aggregates'), `planted processing-time windows: ${planted?.verdict ?? 'no report'}, failing: ${plantedFailing.join(', ') || 'none'}`);

say(`3/3 crash-restart, the silver topic declared exactly-once → ${join(out, 'claims-exactly-once')}`);
await streamproof(['run', 'examples/spark-delta/scenarios/06-crash-restart.ts', '--sut', 'examples/spark-delta/sut-claims-exactly-once.ts', '--seed', values.seed!, '--out', join(out, 'claims-exactly-once')]);
const [claimed] = reports(join(out, 'claims-exactly-once'));
const dup = claimed?.checks.find((c) => c.checker === 'duplicates');
const topicExtra = extra(dup, 'records+late') ?? 0;
const deltaExtra = (extra(dup, 'sink sink:silver') ?? 0) + (extra(dup, 'bronze sink:bronze') ?? 0) + (extra(dup, 'sink:gold') ?? 0);
expect(deltaExtra === 0, `crash-restart: Delta tables hold ${deltaExtra} extra copies`);
// Its kills land after a batch's Kafka write (on: 'next-record'): the replay must show on the topic.
expect(topicExtra > 0 && dup?.valid === false, `crash-restart: ${topicExtra} extra copies on the silver topic claimed exactly-once → duplicates ${dup?.valid === false ? 'fails' : 'does not fail'}: ${dup?.summary ?? 'no result'}`);

memory.stop();
const minutes = (Date.now() - started) / 60_000;
say(`wall time ${Math.floor(minutes)} min ${Math.round((minutes % 1) * 60)} s; peak memory: the whole run ${(memory.treeBytes / 2 ** 30).toFixed(2)} GiB, the Spark job ${(memory.sutBytes / 2 ** 30).toFixed(2)} GiB`);
say(failures.length === 0 ? 'every expectation held' : `${failures.length} expectation(s) did not hold`);
process.exit(failures.length === 0 ? 0 : 1);
