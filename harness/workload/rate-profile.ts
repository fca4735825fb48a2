/**
 * Arrival-rate profiles of the open-model workload (as k6's constant-arrival-rate and
 * ramping-arrival-rate executors): how many sends *should* start by a given time, whatever
 * the cluster does. Every profile compiles to a piecewise-linear rate (events per second)
 * over one cycle, repeated (constant, bursts) or not (ramping, which ends with its stages).
 *
 * Arrival k (counting from 0) is due at the time the expected count ∫rate reaches k, so the
 * first arrival is at t = 0, as in k6.
 */
import { HarnessError } from '../errors.ts';

export interface RampStage {
  durationMs: number;
  /** Rate (events/s) reached at the end of the stage, linearly from the previous one. */
  target: number;
}

export type RateProfile =
  | { kind: 'constant'; rate: number }
  | { kind: 'ramping'; startRate?: number; stages: RampStage[] }
  /** Each period: `baseRate` for periodMs - burstMs, then `burstRate` for burstMs. */
  | { kind: 'bursts'; baseRate: number; burstRate: number; periodMs: number; burstMs: number }
  /** Arrival k at `atMs[k]` (non-decreasing, from 0): a replayed sample's own pacing. */
  | { kind: 'arrivals'; atMs: readonly number[] };

export interface RateSchedule {
  /** Where the profile ends (ms from the start); Infinity when it goes on. */
  readonly endMs: number;
  /** Target rate (events/s) at `ms`. */
  rateAt(ms: number): number;
  /** Expected arrivals by `ms` (∫ rate, a real number; constant after endMs). */
  expectedBy(ms: number): number;
  /** Earliest time at which expectedBy reaches `n`; Infinity if it never does. */
  timeOf(n: number): number;
}

interface Segment {
  durationMs: number;
  from: number;
  to: number;
}

function invalid(option: string, message: string): HarnessError {
  return new HarnessError('CONFIG_INVALID', `workload: '${option}' ${message}`, { context: { option } });
}

function checkRate(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(option, `must be a rate >= 0 (events/s), got ${String(value)}`);
  return value;
}

function checkDuration(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(option, `must be a duration > 0 (ms), got ${String(value)}`);
  return value;
}

/** Validates a profile (CONFIG_INVALID naming the field) and compiles it. */
export function compileRateProfile(profile: RateProfile): RateSchedule {
  switch (profile?.kind) {
    case 'constant': {
      const rate = checkRate('rate.rate', profile.rate);
      if (rate === 0) throw invalid('rate.rate', 'must be > 0 for a constant profile');
      // One second of constant rate, repeated for ever.
      return new PiecewiseSchedule([{ durationMs: 1000, from: rate, to: rate }], true);
    }
    case 'ramping': {
      if (!Array.isArray(profile.stages) || profile.stages.length === 0) throw invalid('rate.stages', 'must list at least one stage');
      let previous = checkRate('rate.startRate', profile.startRate ?? 0);
      const segments = profile.stages.map((stage, i) => {
        const durationMs = checkDuration(`rate.stages[${i}].durationMs`, stage.durationMs);
        const to = checkRate(`rate.stages[${i}].target`, stage.target);
        const segment = { durationMs, from: previous, to };
        previous = to;
        return segment;
      });
      return new PiecewiseSchedule(segments, false);
    }
    case 'bursts': {
      const baseRate = checkRate('rate.baseRate', profile.baseRate);
      const burstRate = checkRate('rate.burstRate', profile.burstRate);
      const periodMs = checkDuration('rate.periodMs', profile.periodMs);
      const burstMs = checkDuration('rate.burstMs', profile.burstMs);
      if (burstMs >= periodMs) throw invalid('rate.burstMs', `must be shorter than periodMs (${periodMs}), got ${burstMs}`);
      if (baseRate === 0 && burstRate === 0) throw invalid('rate.burstRate', 'and baseRate cannot both be 0');
      return new PiecewiseSchedule(
        [
          { durationMs: periodMs - burstMs, from: baseRate, to: baseRate },
          { durationMs: burstMs, from: burstRate, to: burstRate },
        ],
        true,
      );
    }
    case 'arrivals': {
      const { atMs } = profile;
      if (!Array.isArray(atMs) || atMs.length === 0) throw invalid('rate.atMs', 'must list at least one arrival');
      for (let k = 0; k < atMs.length; k++) {
        if (!Number.isFinite(atMs[k]) || atMs[k]! < 0 || (k > 0 && atMs[k]! < atMs[k - 1]!)) throw invalid(`rate.atMs[${k}]`, 'must be a time >= 0 and >= the one before');
      }
      return new ArrivalSchedule(atMs);
    }
    default:
      throw invalid('rate.kind', `must be constant, ramping, bursts or arrivals, got ${String((profile as { kind?: unknown })?.kind)}`);
  }
}

/** One line for logs and reports, e.g. "constant 5000/s". */
export function describeRateProfile(profile: RateProfile): string {
  switch (profile.kind) {
    case 'constant':
      return `constant ${profile.rate}/s`;
    case 'ramping':
      return `ramping from ${profile.startRate ?? 0}/s: ${profile.stages.map((s) => `${s.target}/s over ${s.durationMs} ms`).join(', ')}`;
    case 'bursts':
      return `${profile.baseRate}/s with ${profile.burstRate}/s bursts of ${profile.burstMs} ms every ${profile.periodMs} ms`;
    case 'arrivals':
      return `${profile.atMs.length} arrivals at a recorded pacing over ${(profile.atMs[profile.atMs.length - 1]! / 1000).toFixed(1)} s`;
  }
}

/** Discrete arrivals at given times: expectedBy counts the arrivals due after arrival 0, as the ∫rate of the other kinds does. */
class ArrivalSchedule implements RateSchedule {
  readonly endMs: number;

  constructor(private readonly atMs: readonly number[]) {
    // Arrivals at times < endMs all start by the end.
    this.endMs = atMs[atMs.length - 1]! + 1;
  }

  /** Arrivals at times <= ms. */
  private upTo(ms: number): number {
    let lo = 0;
    let hi = this.atMs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.atMs[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  rateAt(ms: number): number {
    if (ms < 0 || ms >= this.endMs) return 0;
    return this.upTo(ms + 500) - this.upTo(ms - 500);
  }

  expectedBy(ms: number): number {
    if (ms < 0) return 0;
    if (ms >= this.endMs) return this.atMs.length;
    return Math.max(0, this.upTo(ms) - 1);
  }

  timeOf(n: number): number {
    if (n <= 0) return 0;
    const k = Math.ceil(n - 1e-9);
    return k < this.atMs.length ? this.atMs[k]! : Infinity;
  }
}

/** Arrivals (events) a segment yields in its first `t` ms: ∫ linear rate / 1000. */
function area(s: Segment, t: number): number {
  return (s.from * t + ((s.to - s.from) * t * t) / (2 * s.durationMs)) / 1000;
}

/** Time within a segment at which its area reaches `n` (0 <= n <= area(s, durationMs)). */
function solve(s: Segment, n: number): number {
  if (n <= 0) return 0;
  const b = s.from / 1000;
  const slope = (s.to - s.from) / (1000 * s.durationMs);
  // The stable root of (slope/2)t² + bt - n = 0; also right when slope is 0 or negative.
  const t = (2 * n) / (b + Math.sqrt(Math.max(0, b * b + 2 * slope * n)));
  return Math.min(Math.max(t, 0), s.durationMs);
}

class PiecewiseSchedule implements RateSchedule {
  readonly endMs: number;
  private readonly cycleMs: number;
  private readonly perCycle: number;

  constructor(
    private readonly segments: Segment[],
    private readonly repeat: boolean,
  ) {
    this.cycleMs = segments.reduce((sum, s) => sum + s.durationMs, 0);
    this.perCycle = segments.reduce((sum, s) => sum + area(s, s.durationMs), 0);
    this.endMs = repeat ? Infinity : this.cycleMs;
  }

  rateAt(ms: number): number {
    if (ms < 0 || (!this.repeat && ms >= this.cycleMs)) return 0;
    let t = this.repeat ? ms % this.cycleMs : ms;
    for (const s of this.segments) {
      if (t < s.durationMs) return s.from + ((s.to - s.from) * t) / s.durationMs;
      t -= s.durationMs;
    }
    return 0;
  }

  expectedBy(ms: number): number {
    if (ms <= 0) return 0;
    if (!this.repeat) return this.within(Math.min(ms, this.cycleMs));
    const cycles = Math.floor(ms / this.cycleMs);
    return cycles * this.perCycle + this.within(ms - cycles * this.cycleMs);
  }

  timeOf(n: number): number {
    if (n <= 0) return 0;
    if (!this.repeat) return n > this.perCycle + 1e-9 ? Infinity : this.inverse(Math.min(n, this.perCycle));
    if (this.perCycle === 0) return Infinity;
    let cycles = Math.floor(n / this.perCycle);
    let rest = n - cycles * this.perCycle;
    // Reaching a whole number of cycles' worth may happen before the cycle ends (a quiet tail).
    if (rest === 0) {
      cycles -= 1;
      rest = this.perCycle;
    }
    return cycles * this.cycleMs + this.inverse(rest);
  }

  private within(t: number): number {
    let sum = 0;
    for (const s of this.segments) {
      if (t <= s.durationMs) return sum + area(s, t);
      sum += area(s, s.durationMs);
      t -= s.durationMs;
    }
    return sum;
  }

  private inverse(n: number): number {
    let start = 0;
    for (const s of this.segments) {
      const full = area(s, s.durationMs);
      if (n <= full) return start + solve(s, n);
      n -= full;
      start += s.durationMs;
    }
    return start;
  }
}
