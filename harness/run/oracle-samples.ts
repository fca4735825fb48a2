/** Sample inputs of a scenario's workload, for checking a SUT's oracles before a run starts. */
import { DEFAULT_START_TIME_MS } from '../../generators/options.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { SampleInput } from '../sut/oracle-check.ts';
import { workloadRecords } from './workload-records.ts';

export function oracleSamples(scenario: Scenario, seed: number, count = 200): SampleInput[] {
  const samples: SampleInput[] = [];
  for (const r of workloadRecords(scenario.workload, { seed, count, startTimeMs: DEFAULT_START_TIME_MS }).records) {
    samples.push({ eventId: r.eventId, key: r.key, value: r.value, eventTimeMs: r.eventTimeMs, truth: r.truth.kind });
  }
  return samples;
}
