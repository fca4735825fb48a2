import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { formatDuration } from '../../scenarios/model/duration.ts';
import type { Scenario, ScenarioInput } from '../../scenarios/model/scenario.ts';
import { faultInputs, type FaultSchedule } from './fault-schedule.ts';

/**
 * A parsed scenario written back as plain input (what `defineScenario` takes), without its
 * faults or fault mix: the base an explored schedule is put into.
 */
export function plainScenarioInput(scenario: Scenario): ScenarioInput {
  const { rate, sample, domainFile, encoding, acks } = scenario.workload;
  const slas: Record<string, string[]> = {};
  for (const [scope, thresholds] of Object.entries(scenario.slas)) slas[scope] = (thresholds ?? []).map((t) => t.source);
  return {
    name: scenario.name,
    description: scenario.description,
    ...(scenario.seed === undefined ? {} : { seed: scenario.seed }),
    brokers: scenario.brokers,
    ...(scenario.brokerDiskMb === undefined ? {} : { brokerDiskMb: scenario.brokerDiskMb }),
    ...(Object.keys(scenario.sut).length > 0 ? { sut: { ...scenario.sut } } : {}),
    phases: scenario.phases.map((p) => ({ name: p.name, duration: formatDuration(p.durationMs) })),
    workload: {
      ...(domainFile ? { domainFile: domainFile.path } : { domain: scenario.workload.domain }),
      ...(sample ? { sample: { file: sample.path, ...(sample.speed === undefined ? {} : { speed: sample.speed }), ...(sample.hotKeyFraction === undefined ? {} : { hotKeyFraction: sample.hotKeyFraction }) } } : {}),
      // A sample at its own pacing takes no rate (its mean rate is derived again).
      ...(sample?.speed !== undefined ? {} : { rate: rate.kind === 'constant' ? rate.rate : rate.stages.map((s) => ({ duration: formatDuration(s.durationMs), target: s.target })) }),
      ...(Object.keys(scenario.workload.knobs).length > 0 ? { knobs: { ...scenario.workload.knobs } as ScenarioInput['workload']['knobs'] } : {}),
      ...(encoding ? { encoding: { format: encoding.format, compatibility: encoding.compatibility, ...(encoding.schemas ? { schemas: { ...(encoding.schemas.v1 ? { v1: encoding.schemas.v1.path } : {}), ...(encoding.schemas.v2 ? { v2: encoding.schemas.v2.path } : {}) } } : {}) } } : {}),
      ...(acks === undefined ? {} : { acks: acks === -1 ? ('all' as const) : acks }),
    },
    checkers: [...scenario.checkers],
    ...(Object.keys(slas).length > 0 ? { slas } : {}),
    ...(scenario.drill === undefined ? {} : { drill: scenario.drill }),
  };
}

export interface ScheduledScenarioOptions {
  name: string;
  description: string;
  /** The run seed pinned in the scenario (the workload and any `random` choice). */
  seed: number;
}

/** The base scenario with `schedule` as its hand-written fault time line. */
export function scheduledScenarioInput(base: Scenario, schedule: FaultSchedule, options: ScheduledScenarioOptions): ScenarioInput {
  return { ...plainScenarioInput(base), name: options.name, description: options.description, seed: options.seed, faults: faultInputs(schedule) };
}

/** The same, parsed (so a schedule that cannot run fails here, before a lab run). */
export function scheduledScenario(base: Scenario, schedule: FaultSchedule, options: ScheduledScenarioOptions): Scenario {
  return defineScenario(scheduledScenarioInput(base, schedule, options));
}
