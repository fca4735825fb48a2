/**
 * The step plan of a capacity search: a geometric ramp from the start rate until the first
 * failing step, then bisection between the highest passing and the lowest failing rate until
 * they are within the resolution; the knee must then hold a second time (a lucky pass near
 * the knee is the main source of disagreement between two searches), or the bisection goes on
 * below it. Pure: the next rate depends only on the options and the outcomes so far, so a
 * search with the same seed and options asks for the same rates.
 */
import { HarnessError } from '../errors.ts';

export interface RateSearchOptions {
  /** First rate tried (events/s). */
  startRate: number;
  /** Ramp factor between steps until a step fails (> 1). */
  factor: number;
  /** Stop bisecting when lowest fail / highest pass - 1 is at or below this (0.1 = 10%). */
  resolution: number;
  /** Never offer more than this (events/s). */
  maxRate: number;
}

export type SearchStage = 'ramp' | 'ramp-down' | 'bisect' | 'confirm';

export interface StepOutcome {
  rate: number;
  passed: boolean;
}

export type NextStep =
  | { kind: 'step'; rate: number; stage: SearchStage }
  | { kind: 'done'; reason: 'resolved' | 'max-rate' | 'nothing-passed' };

export function checkRateSearchOptions(o: RateSearchOptions): RateSearchOptions {
  const bad = (message: string) => new HarnessError('USAGE', message);
  if (!(Number.isFinite(o.startRate) && o.startRate >= 1)) throw bad(`the start rate must be at least 1 event/s, got ${o.startRate}`);
  if (!(Number.isFinite(o.maxRate) && o.maxRate >= o.startRate)) throw bad(`--max-rate must be at least the start rate (${o.startRate}/s), got ${o.maxRate}`);
  if (!(Number.isFinite(o.factor) && o.factor > 1)) throw bad(`the ramp factor must be above 1, got ${o.factor}`);
  if (!(Number.isFinite(o.resolution) && o.resolution > 0 && o.resolution < 1)) throw bad(`--resolution must be a fraction between 0 and 1 (0.1 = 10%), got ${o.resolution}`);
  return o;
}

/** A rate held when every step at it held; a rate that failed once failed. */
function failedRates(done: readonly StepOutcome[]): Set<number> {
  return new Set(done.filter((s) => !s.passed).map((s) => s.rate));
}

/** The bracket the outcomes so far give: the highest pass below the lowest fail. */
export function bracket(done: readonly StepOutcome[]): { pass?: number; fail?: number } {
  const failed = failedRates(done);
  const fail = failed.size > 0 ? Math.min(...failed) : undefined;
  // A pass above a fail (noise) does not count: the knee is what held below every failure seen.
  const passes = done.filter((s) => !failed.has(s.rate) && (fail === undefined || s.rate < fail)).map((s) => s.rate);
  return { pass: passes.length > 0 ? Math.max(...passes) : undefined, fail };
}

/** The search would stop at `pass`: run it once more unless it already held twice. */
function confirmed(done: readonly StepOutcome[], pass: number, reason: 'resolved' | 'max-rate'): NextStep {
  const runs = done.filter((s) => s.rate === pass).length;
  return runs >= 2 ? { kind: 'done', reason } : { kind: 'step', rate: pass, stage: 'confirm' };
}

export function nextStep(done: readonly StepOutcome[], o: RateSearchOptions): NextStep {
  if (done.length === 0) return { kind: 'step', rate: Math.round(o.startRate), stage: 'ramp' };
  const { pass, fail } = bracket(done);
  if (fail === undefined) {
    if (pass! >= o.maxRate) return confirmed(done, pass!, 'max-rate');
    return { kind: 'step', rate: Math.min(Math.round(pass! * o.factor), Math.round(o.maxRate)), stage: 'ramp' };
  }
  if (pass === undefined) {
    const lower = Math.floor(fail / o.factor);
    return lower < 1 ? { kind: 'done', reason: 'nothing-passed' } : { kind: 'step', rate: lower, stage: 'ramp-down' };
  }
  if (fail / pass - 1 <= o.resolution) return confirmed(done, pass, 'resolved');
  // Geometric midpoint: the bracket shrinks by the same ratio whichever way the step goes.
  const mid = Math.round(Math.sqrt(pass * fail));
  if (mid <= pass || mid >= fail) return confirmed(done, pass, 'resolved');
  return { kind: 'step', rate: mid, stage: 'bisect' };
}
