import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/09-schema-drift.ts';

/**
 * The default schema drift (v1 -> v2 with a new optional field half-way), judged by the Kafka
 * Streams example's own bounds (measured on the 3-broker lab on 2 cores: README.md). Unknown
 * extra fields are kept; nothing may be dead-lettered, nor dropped as late during the steady phase
 * (see 01-steady-baseline.ts for why not over the whole run).
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s', 'throughput > 90/s', 'sut.streams_example_dropped_records_total.increase == 0'],
    drain: ['drain_time < 5s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq == 0'],
  },
});
