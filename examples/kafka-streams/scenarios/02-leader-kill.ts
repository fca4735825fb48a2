import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/02-leader-kill.ts';

/**
 * The default scenario's SIGKILL of the input leader (same phases, load, fault and checkers), judged by the
 * Kafka Streams example's own bounds (measured on the 3-broker lab on 2 cores: README.md).
 * Leadership moves; the exactly-once producers retry and the outputs wait for the new leader.
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s'],
    fault: ['e2e_latency.p99 < 20s'],
    recovery: ['recovery_time < 15s', 'e2e_latency.p99 < 8s'],
    drain: ['drain_time < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
