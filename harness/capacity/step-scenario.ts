/**
 * The scenario one capacity step runs: the base scenario's workload (domain, knobs, encoding,
 * SUT overrides) at a constant rate, without faults, as a warm-up then a measured `steady`
 * window, then a short drain; judged on the base's steady SLAs. Throughput thresholds are left
 * out: an absolute `throughput > 90/s` says nothing at another rate (the step's own keep-up
 * bound replaces it: step-judgement.ts).
 */
import { HarnessError } from '../errors.ts';
import { plainScenarioInput } from '../explore/scheduled-scenario.ts';
import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { formatDuration } from '../../scenarios/model/duration.ts';
import type { Scenario } from '../../scenarios/model/scenario.ts';

export interface StepTiming {
  /** Before the measured window: the SUT reaches a steady state at the new rate. */
  warmUpMs: number;
  /** The measured window (phase `steady`). */
  measureMs: number;
  /** After sending stops (phase `drain`). */
  drainMs: number;
}

/** Why a base cannot drive a capacity search, or undefined when it can. */
export function unsuitableBase(base: Scenario): string | undefined {
  if (base.sites) return `'${base.name}' is a failover drill; a capacity search needs one lab and a steady workload`;
  if (base.workload.sample && base.workload.sample.speed !== undefined) return `'${base.name}' replays a sample at its own pacing; a capacity search sets the rate`;
  return undefined;
}

/** The base's starting rate: its constant rate, or the peak of its ramp. */
export function baseRate(base: Scenario): number {
  const { rate } = base.workload;
  return rate.kind === 'constant' ? rate.rate : Math.max(...rate.stages.map((s) => s.target));
}

export function stepScenario(base: Scenario, rate: number, timing: StepTiming): Scenario {
  const why = unsuitableBase(base);
  if (why) throw new HarnessError('USAGE', why);
  const plain = plainScenarioInput(base);
  const steady = (base.slas.steady ?? []).filter((t) => t.metric !== 'throughput').map((t) => t.source);
  return defineScenario({
    ...plain,
    name: `${base.name}-at-${rate}`,
    description: `${base.name} at ${rate} events/s, no faults: one step of a capacity search`,
    phases: [
      { name: 'warm-up', duration: formatDuration(timing.warmUpMs) },
      { name: 'steady', duration: formatDuration(timing.measureMs) },
      { name: 'drain', duration: formatDuration(timing.drainMs) },
    ],
    workload: { ...plain.workload, rate },
    // Evidence, not the step's judgement: what was lost or doubled at this rate.
    checkers: ['lost', 'duplicates'],
    ...(steady.length > 0 ? { slas: { steady } } : {}),
    drill: undefined,
  });
}
