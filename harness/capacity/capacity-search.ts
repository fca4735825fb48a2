/**
 * `streamproof capacity`: the highest arrival rate a SUT sustains while holding a scenario's
 * steady SLAs. Every step is a plain `runScenario` of the base at one rate (step-scenario.ts)
 * on one reused lab (or the user's cluster): fresh topics and a fresh SUT each time, so the
 * backlog an overloaded step leaves can never be charged to the next, lower step. The plan
 * (rate-search.ts) is a geometric ramp, then bisection; `--budget` bounds the wall time.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { ExternalClusterOptions } from '../cluster/external-provider.ts';
import type { RunProgress } from '../run/run-options.ts';
import { reusedLab, runOnLab } from '../explore/run-on-lab.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { Scenario } from '../../scenarios/model/scenario.ts';
import type { CapacityResult, CapacityStep, CapacityStop } from './capacity-result.ts';
import { bracket, nextStep, type RateSearchOptions } from './rate-search.ts';
import { judgeStep } from './step-judgement.ts';
import { MEASURED_PHASE, measureStep } from './step-measure.ts';
import { stepScenario, type StepTiming } from './step-scenario.ts';

export interface CapacitySearchOptions {
  base: Scenario;
  sut: SutConfig;
  /** How the SUT was named (`reference`, a file): for the report and the replay. */
  sutLabel: string;
  /** Every step runs with this seed: the same events, only the rate differs. */
  seed: number;
  eventTimeOriginMs: number;
  search: RateSearchOptions;
  timing: StepTiming;
  budgetMs: number;
  /** Step run dirs, lab logs and capacity.json go here. */
  dir: string;
  replay: string;
  /** `streamproof run` arguments that select the same SUT and cluster (`--sut f`, `--provider external ...`). */
  replayArgs: string[];
  /** Search on the user's cluster (`--provider external`) instead of a lab started for it. */
  external?: ExternalClusterOptions;
  onLine?: (line: string) => void;
  onProgress?: (progress: RunProgress) => void;
}

/** Before any step has run: SUT start, priming, drain, scan and judging on top of the phases. */
const FIRST_OVERHEAD_GUESS_MS = 45_000;

export async function searchCapacity(o: CapacitySearchOptions): Promise<CapacityResult> {
  const line = o.onLine ?? (() => undefined);
  await mkdir(o.dir, { recursive: true });
  const lab = reusedLab({ external: o.external, brokers: o.base.brokers, dir: o.dir, onProgress: line });
  const t0 = performance.now();
  const steps: CapacityStep[] = [];
  const phasesMs = o.timing.warmUpMs + o.timing.measureMs + o.timing.drainMs;
  let stop: CapacityStop | undefined;
  try {
    while (stop === undefined) {
      const next = nextStep(steps.map((s) => ({ rate: s.rate, passed: s.judgement.passed })), o.search);
      if (next.kind === 'done') {
        stop = next.reason;
        break;
      }
      // The budget only cuts the plan short: the rates asked never depend on the clock.
      const overheads = steps.map((s) => s.wallMs - phasesMs);
      const expected = phasesMs + (overheads.length > 0 ? Math.max(...overheads) : FIRST_OVERHEAD_GUESS_MS);
      const spent = performance.now() - t0;
      if (steps.length > 0 && spent + expected > o.budgetMs) {
        line(`[capacity] budget: ${Math.round(spent / 1000)} s spent, a step takes ~${Math.round(expected / 1000)} s, budget ${Math.round(o.budgetMs / 1000)} s: stopping`);
        stop = 'budget';
        break;
      }
      const index = steps.length + 1;
      const scenario = stepScenario(o.base, next.rate, o.timing);
      const runDir = join(o.dir, `step-${String(index).padStart(2, '0')}-${next.rate}`);
      line(`[capacity] step ${index} (${next.stage}): ${next.rate} events/s`);
      const started = performance.now();
      const labStarts = lab.starts.length;
      const loads: number[] = [];
      const onProgress = (p: RunProgress) => {
        if (!p.message && p.phase === MEASURED_PHASE && loadavg()[0]! > 0) loads.push(loadavg()[0]!);
        o.onProgress?.(p);
      };
      // A lab or SUT that failed to start is not the SUT's capacity: runOnLab runs it once more on a fresh lab.
      const once = (dir: string) => runOnLab(lab, { scenario, sut: o.sut, seed: o.seed, runDir: dir, eventTimeOriginMs: o.eventTimeOriginMs, replayArgs: o.replayArgs, drainTimeoutMs: 20_000, onProgress }, `step ${index}`, line);
      let result = await once(runDir);
      let measure = await measureStep(result, next.rate);
      let judgement = judgeStep(measure);
      if (judgement.starved) {
        // A step failed on a starved host measured the host: once more at the same rate (same seed), and that one counts.
        line(`[capacity] step ${index}: ${stepLine({ rate: next.rate, measure, judgement, load: null })}: running it once more`);
        result = await once(`${result.runDir}-rerun`);
        measure = await measureStep(result, next.rate);
        judgement = judgeStep(measure);
      }
      const count = (checker: string, key: string) => {
        const c = result.checks.find((x) => x.checker === checker);
        return c && c.valid !== 'unknown' && typeof c.counts[key] === 'number' ? c.counts[key] : null;
      };
      const step: CapacityStep = {
        index, stage: next.stage, rate: next.rate, measure, judgement, verdict: result.verdict,
        lost: count('lost', 'lost'), duplicates: count('duplicates', 'duplicatedEvents'), runDir: result.runDir,
        // A lab start is not the step's: it would make every later step look that much longer to the budget.
        wallMs: performance.now() - started - (lab.starts.length > labStarts ? lab.starts.at(-1)! : 0),
        load: loads.length > 0 ? Math.round((loads.reduce((a, b) => a + b, 0) / loads.length) * 10) / 10 : null,
      };
      steps.push(step);
      line(`[capacity] ${stepLine(step)}`);
    }
  } finally {
    await lab.stop();
  }
  const { pass, fail } = bracket(steps.map((s) => ({ rate: s.rate, passed: s.judgement.passed })));
  const result: CapacityResult = {
    base: o.base.name, sut: o.sutLabel, seed: o.seed, eventTimeOriginMs: o.eventTimeOriginMs, search: o.search, timing: o.timing, budgetMs: o.budgetMs,
    steps, kneeEps: pass ?? null, firstFailEps: fail ?? null, stop: stop ?? 'budget', ...(o.external ? { cluster: o.external.bootstrapServers.join(',') } : {}), wallMs: performance.now() - t0, replay: o.replay, dir: o.dir,
  };
  await writeFile(join(o.dir, 'capacity.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

const fixed = (n: number | null, unit = '') => (n === null ? '-' : `${Math.abs(n) >= 100 ? Math.round(n) : n.toFixed(1)}${unit}`);

/** `1600/s FAIL: sent 1598/s, processed 1210/s, p50 2.1 s, p99 7.9 s, lag +350/s (lag grew ...)`. */
export function stepLine(s: Pick<CapacityStep, 'rate' | 'measure' | 'judgement' | 'load'>): string {
  const m = s.measure;
  const secs = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);
  const load = s.load === null ? '' : `, load ${s.load.toFixed(1)}`;
  const figures = `sent ${fixed(m.sentPerS, '/s')}, processed ${fixed(m.recordsPerS ?? m.consumedPerS, '/s')}, p50 ${secs(m.p50Ms)}, p99 ${secs(m.p99Ms)}, lag ${m.lagGrowthPerS === null ? '-' : `${m.lagGrowthPerS >= 0 ? '+' : ''}${fixed(m.lagGrowthPerS, '/s')}`} (max ${fixed(m.lagMax)})${load}`;
  const starved = s.judgement.starved ? ` (${s.judgement.notes.at(-1)})` : '';
  return `${String(s.rate).padStart(6)}/s ${s.judgement.passed ? 'pass' : 'FAIL'}: ${figures}${s.judgement.passed ? '' : `: ${s.judgement.reasons.join('; ')}${starved}`}`;
}
