import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/07-poison-flood.ts';

/**
 * The default poison flood (500 poison records over 5 s), judged by the Kafka Streams example's
 * own bounds (measured on the 3-broker lab on 2 cores: README.md). Every poison record goes to the
 * DLQ exactly once (exactly-once), and nothing else does: dlq == 500.
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s'],
    fault: ['e2e_latency.p99 < 6s', 'throughput > 75/s'],
    recovery: ['recovery_time < 10s'],
    drain: ['drain_time < 5s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq == 500'],
  },
});
