/**
 * Whether one step of a capacity search held: the producer offered the rate, the SUT kept up
 * (it processed what was sent, and its lag did not grow over the measured window), and every
 * steady SLA of the scenario held. An SLA that could not be measured is a failure, never a pass.
 */
import type { SlaResult } from '../run/run-result.ts';
import { STARVED_STEAL } from '../run/host-cpu.ts';

export interface StepMeasure {
  /** The rate asked of the open-model producer (events/s). */
  rate: number;
  /** Sends started per second over the measured window. */
  sentPerS: number | null;
  /** Input records the SUT consumed per second (committed offsets), else null. */
  consumedPerS: number | null;
  /** Records on the SUT's `records` outputs per second. */
  recordsPerS: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** How fast the consumer lag grew over the measured window (records/s; `lagGrowth`); null without lag samples. */
  lagGrowthPerS: number | null;
  lagMax: number | null;
  /** The scenario's steady SLAs as judged on this step. */
  slas: SlaResult[];
  /** The hypervisor's mean share of the host's CPU over the measured window (host-cpu.ts); null when not sampled. */
  steal: number | null;
}

export interface StepJudgement {
  passed: boolean;
  /** Why it failed (empty when it passed). */
  reasons: string[];
  /** What could not be judged (e.g. no lag for a SUT that commits no offsets). */
  notes: string[];
  /** A failed step measured on a starved host (STARVED_STEAL or more): it measured the host, and is run once more. */
  starved: boolean;
}

/** The bounds a step is held to (fractions of the rate). */
export const STEP_BOUNDS = {
  /** The producer must start at least this share of the asked rate, or the harness is the limit. */
  offered: 0.9,
  /** The SUT must process (records out, else input consumed) at least this share of what was sent (1% re-sends are deduplicated). */
  keepUp: 0.9,
  /** Lag may grow by at most this share of the rate per second (plus 1 record/s of noise). */
  lagGrowth: 0.05,
} as const;

const perS = (n: number) => `${n >= 50 ? Math.round(n) : n.toFixed(1)}/s`;

/** Least-squares slope of y over x (x in seconds); null with fewer than 3 points. */
export function slope(points: readonly (readonly [number, number])[]): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/**
 * Growth of the lag (records/s): the smaller of its least-squares slope and the growth of its
 * floor (the lowest sample of the last third minus the lowest of the first, over the time
 * between). A SUT that commits every few seconds draws a sawtooth that biases the slope by
 * up to the rate times 5% (seen with the at-least-once reference pipeline's 5 s checkpoints),
 * and one slow transaction is a spike; neither moves the floor. A real backlog grows both.
 */
export function lagGrowth(points: readonly (readonly [number, number])[]): number | null {
  const ls = slope(points);
  if (ls === null) return null;
  const t0 = points[0]![0];
  const span = points.at(-1)![0] - t0;
  const floor = (from: number, to: number) => Math.min(...points.filter(([t]) => t - t0 >= from && t - t0 <= to).map(([, v]) => v));
  const first = floor(0, span / 3);
  const last = floor((2 * span) / 3, span);
  return Math.min(ls, (last - first) / ((2 * span) / 3));
}

export function judgeStep(m: StepMeasure): StepJudgement {
  const reasons: string[] = [];
  const notes: string[] = [];
  if (m.sentPerS === null || m.sentPerS < STEP_BOUNDS.offered * m.rate) {
    reasons.push(`the producer started only ${m.sentPerS === null ? 'no' : perS(m.sentPerS)} sends of ${perS(m.rate)} asked (the harness, not the SUT, is the limit here)`);
  }
  // Records output first: a SUT that commits every few seconds has its consumption counted in
  // whole commits (3 or 4 of a 20 s window at 5 s: 253/s measured for 336/s processed).
  const processed = m.recordsPerS ?? m.consumedPerS;
  const sent = m.sentPerS ?? m.rate;
  if (processed === null) reasons.push('neither consumption nor records output was measured');
  else if (processed < STEP_BOUNDS.keepUp * sent) reasons.push(`processed ${perS(processed)} of ${perS(sent)} sent`);
  if (m.lagGrowthPerS === null) notes.push('no lag samples (the SUT commits no offsets): lag growth not judged');
  else if (m.lagGrowthPerS > STEP_BOUNDS.lagGrowth * m.rate + 1) reasons.push(`lag grew by ${perS(m.lagGrowthPerS)} (bound ${perS(STEP_BOUNDS.lagGrowth * m.rate + 1)})`);
  for (const sla of m.slas) {
    if (sla.passed === false) reasons.push(`steady SLA ${sla.threshold} missed (measured ${sla.measured === null ? '-' : Math.round(sla.measured * 10) / 10})`);
    else if (sla.passed === 'unknown') reasons.push(`steady SLA ${sla.threshold} not measured${sla.note ? `: ${sla.note}` : ''}`);
  }
  const passed = reasons.length === 0;
  const starved = !passed && m.steal !== null && m.steal >= STARVED_STEAL;
  if (starved) notes.push(`measured while the hypervisor took ${Math.round(m.steal! * 100)}% of the host's CPU: the failure may be the host's`);
  return { passed, reasons, notes, starved };
}
