/**
 * `npm run bench:explore`: how fast `explore` finds and shrinks a planted bug that only shows
 * under a fault (non-transactional-output: a SUT crash duplicates output), on one local lab
 * reused between runs. Prints the time to the first failing schedule, the time until shrinking
 * ended, the lab start and the per-run overhead (wall time of a run minus its scenario time).
 * Target on a 2-core machine: found and shrunk within 5 minutes. BENCH_SEED / BENCH_BUDGET override.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import base from '../harness/explore/explore-base.ts';
import { exploreOnLab } from '../harness/explore/explore-on-lab.ts';
import { exploreReport } from '../harness/explore/explore-report.ts';
import { describeSchedule } from '../harness/explore/fault-schedule.ts';
import { parseDuration } from '../scenarios/model/duration.ts';
import { referenceSut } from '../pipeline/reference-sut.ts';

const seed = Number(process.env.BENCH_SEED ?? 42);
const budget = process.env.BENCH_BUDGET ?? '5m';
const dir = mkdtempSync(join(tmpdir(), 'bench-explore-'));
const t0 = performance.now();
const run = await exploreOnLab({
  base,
  sut: referenceSut({ bugs: ['non-transactional-output'] }),
  runArgs: ['--bug', 'non-transactional-output'],
  seed,
  runs: 30,
  budgetMs: parseDuration(budget, 'BENCH_BUDGET'),
  confirmRuns: 1,
  shrink: true,
  dir,
  replayOf: (path) => `streamproof explore --bug non-transactional-output --seed ${seed}${path ? ` --path ${path}` : ''} --budget ${budget}`,
  onLine: (line) => process.stderr.write(`${line}\n`),
});
const wallS = (performance.now() - t0) / 1000;
const { result } = run;
const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const overheads = run.overheads.map((o) => o.overheadMs);
const mean = overheads.reduce((a, b) => a + b, 0) / Math.max(1, overheads.length);

console.log('');
for (const line of exploreReport(result, run.replay)) console.log(line);
console.log('');
console.log(`explore, base ${base.name} (${s(base.runDurationMs)} of scenario per run), reference pipeline --bug non-transactional-output, seed ${seed}, budget ${budget}:`);
console.log(`  lab start:             ${run.lab.startsMs.map(s).join(', ')}${run.lab.restarts.length > 0 ? ` (restarted: ${run.lab.restarts.join('; ')})` : ''}`);
console.log(`  time to find:          ${s(result.timings.foundAtMs)} (${result.attempts.filter((a) => a.stage === 'search').length} schedule(s) drawn)`);
console.log(`  time to find + shrink: ${s(result.timings.shrunkAtMs)} (${result.shrinkLog.length} shrink candidate(s): ${result.shrinkLog.filter((x) => !x.cached).length} lab run(s), ${result.shrinkLog.filter((x) => x.cached).length} reused; ${result.shrinkLog.filter((x) => x.taken).length} step(s) taken${result.budgetExhausted ? '; budget spent' : ''})`);
console.log(`  minimal schedule:      ${result.minimal ? describeSchedule(result.minimal.attempt.schedule).join('; ') : '-'} (${result.outcome})`);
console.log(`  per-run overhead:      mean ${s(mean)}, min ${s(Math.min(...overheads))}, max ${s(Math.max(...overheads))} over ${overheads.length} run(s)`);
console.log(`  whole bench:           ${wallS.toFixed(1)} s (lab start and confirmation runs included)`);
const target = result.timings.shrunkAtMs !== null && result.timings.shrunkAtMs <= 300_000;
console.log(`  target (found and shrunk within 5 min): ${target ? 'met' : 'NOT met'}; details in ${run.files.json}`);
