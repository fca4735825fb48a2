import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/06-bandwidth-throttle.ts';

/**
 * The default bandwidth throttle (32 KB/s on the input leader's client link for 8 s), judged by
 * the Kafka Streams example's own bounds (measured on the 3-broker lab on 2 cores: README.md).
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s'],
    fault: ['consumer_lag.max < 1500'],
    recovery: ['recovery_time < 10s', 'consumer_lag.last < 500'],
    drain: ['drain_time < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
