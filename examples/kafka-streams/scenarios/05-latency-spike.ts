import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/05-latency-spike.ts';

/**
 * The default latency spike (300 ms ±50 on the input leader's client link for 8 s), judged by
 * the Kafka Streams example's own bounds (measured on the 3-broker lab on 2 cores: README.md).
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s'],
    fault: ['e2e_latency.p99 < 15s', 'throughput > 60/s'],
    recovery: ['recovery_time < 10s', 'e2e_latency.p99 < 6s'],
    drain: ['drain_time < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
