import type { SutConfig } from '../sut/sut-config.ts';
import type { Scenario } from '../../scenarios/index.ts';

/** The scenario's peak input rate per input partition (records/s): the scale of per-partition lag. */
export function perPartitionRate(scenario: Scenario, sut: SutConfig): number {
  const { rate } = scenario.workload;
  const peak = rate.kind === 'constant' ? rate.rate : Math.max(...rate.stages.map((s) => s.target));
  const partitions = scenario.sut.partitions ?? sut.topics.input[0]?.partitions ?? 1;
  return peak / partitions;
}
