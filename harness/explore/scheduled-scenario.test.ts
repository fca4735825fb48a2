import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { loadScenarios } from '../../scenarios/index.ts';
import { plainScenarioInput } from './scheduled-scenario.ts';

// What exploration runs is the base written back as input: every setting but the faults must survive it.
describe('plainScenarioInput', () => {
  it('writes every scenario in the tree back to an input that parses to the same scenario (faults aside)', async () => {
    const scenarios = await loadScenarios(['scenarios', 'scenarios/schema', 'scenarios/jepsen', 'scenarios/faults']);
    expect(scenarios.length).toBeGreaterThan(15);
    for (const scenario of scenarios) {
      const file = scenario.source;
      if (scenario.sites) continue; // failover drills are not explored
      const again = defineScenario(plainScenarioInput(scenario));
      const strip = ({ faults, faultMix, source, brokerDiskMb, ...rest }: typeof scenario) => rest;
      expect(strip(again), file).toEqual(strip(scenario));
      // A disk size the base had stays; one the faults implied goes with them.
      if (scenario.faultMix === undefined && scenario.faults.every((f) => f.type !== 'disk.full')) expect(again.brokerDiskMb, file).toBe(scenario.brokerDiskMb);
    }
  });
});
