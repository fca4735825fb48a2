/**
 * The records a scenario's workload sends: generated from its domain, or replayed from its
 * captured sample (the sample is read again and must still have the hash recorded at load).
 */
import { domainOf } from '../../generators/domain-of.ts';
import { generateEvents } from '../../generators/generate-events.ts';
import type { GeneratedRecord } from '../../generators/record.ts';
import { replaySample } from '../../generators/replay/replay-sample.ts';
import { readSample } from '../../generators/replay/sample-file.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { WorkloadSpec } from '../../scenarios/model/workload-spec.ts';
import { HarnessError } from '../errors.ts';
import type { RateProfile } from '../workload/rate-profile.ts';

export interface WorkloadRecords {
  records: Iterator<GeneratedRecord> & Iterable<GeneratedRecord>;
  /** The sample's own pacing (times its speed), when the workload replays at it. */
  pacing?: Extract<RateProfile, { kind: 'arrivals' }>;
}

export interface WorkloadRecordOptions {
  seed: number;
  count: number;
  startTimeMs: number;
  /** Event-time clock of generated events (a replay keeps the sample's gaps). */
  eventsPerSecond?: number;
  partitions?: number;
  /** Without the scenario's knobs (priming sends plain events). */
  plain?: boolean;
}

export function workloadRecords(workload: WorkloadSpec, o: WorkloadRecordOptions): WorkloadRecords {
  const knobs = o.plain ? {} : workload.knobs;
  const { sample } = workload;
  if (sample === undefined) {
    return {
      records: generateEvents({
        domain: workload.domain, seed: o.seed, count: o.count, startTimeMs: o.startTimeMs, ...knobs,
        ...(o.eventsPerSecond === undefined ? {} : { eventsPerSecond: o.eventsPerSecond }), ...(o.partitions === undefined ? {} : { partitions: o.partitions }),
      }),
    };
  }
  const read = readSample(sample.path, domainOf(workload.domain));
  if (read.sha256 !== sample.sha256) throw new HarnessError('CONFIG_INVALID', `${sample.path}: the sample changed since the scenario was loaded (sha256 ${read.sha256.slice(0, 12)}, was ${sample.sha256.slice(0, 12)})`);
  const replay = replaySample({
    ...knobs, domain: workload.domain, sample: read, seed: o.seed, count: o.count, startTimeMs: o.startTimeMs,
    ...(o.plain || sample.hotKeyFraction === undefined ? {} : { hotKeyFraction: sample.hotKeyFraction }),
    ...(sample.speed === undefined ? {} : { speed: sample.speed }),
  });
  const records = replay.records[Symbol.iterator]();
  return sample.speed === undefined || o.plain ? { records } : { records, pacing: { kind: 'arrivals', atMs: replay.dueMs } };
}

/** Events per second of event time for the main workload (see RunScenarioOptions' `eventTimeSpeedup`). */
export function eventTimeRate(scenario: Scenario, speedup = 5): number {
  const { rate } = scenario.workload;
  const peak = rate.kind === 'constant' ? rate.rate : Math.max(...rate.stages.map((s) => s.target));
  return Math.max(peak / speedup, 0.001);
}

/** Events the main workload sends: the integral of the rate over the sending time. */
export function expectedSendCount(scenario: Scenario): number {
  const { rate } = scenario.workload;
  if (rate.kind === 'constant') return Math.max(1, Math.ceil((rate.rate * scenario.sendingMs) / 1000));
  let total = 0;
  let previous = 0;
  for (const stage of rate.stages) {
    total += ((previous + stage.target) / 2) * (stage.durationMs / 1000);
    previous = stage.target;
  }
  return Math.max(1, Math.ceil(total));
}
