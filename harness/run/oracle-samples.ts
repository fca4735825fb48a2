/** Sample inputs of a scenario's workload, for checking a SUT's oracles before a run starts. */
import { generateEvents } from '../../generators/generate-events.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { SampleInput } from '../sut/oracle-check.ts';

export function oracleSamples(scenario: Scenario, seed: number, count = 200): SampleInput[] {
  const samples: SampleInput[] = [];
  for (const r of generateEvents({ domain: scenario.workload.domain, seed, count, ...scenario.workload.knobs })) {
    samples.push({ eventId: r.eventId, key: r.key, value: r.value, eventTimeMs: r.eventTimeMs, truth: r.truth.kind });
  }
  return samples;
}
