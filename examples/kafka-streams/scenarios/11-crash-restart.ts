import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/11-crash-restart.ts';

/**
 * The default crash-restart (SIGKILL instance 0 for 5 s, later a random instance for 3 s), judged
 * by the Kafka Streams example's own bounds (measured on the 3-broker lab on 2 cores: README.md).
 *
 * A SIGKILLed instance is ready again ~13 s after the kill here (JVM start, two rebalances, the
 * window store restored from its changelog). When the seed draws instance 0 for the second crash
 * (seeds 1, 2, 3 and 21 do), the harness waits for instance 0's restart to be ready before killing
 * it again, so that crash lands in the recovery phase and is healed around the end of the load
 * (51-54 s; the load ends at 53 s): `recovery_time` is then unknown (seed 21: healed after the
 * load ended) or measured on 2 s of load (seed 1). This scenario judges the recovery by the
 * recovery phase's p99 (which holds the second crash) and the drain instead.
 * The fault p99 bound is wide for the same reason: with static membership a restarted instance
 * takes its tasks back as soon as it rejoins, so when instance 0 rejoins within the session
 * timeout and is killed again the moment it is ready, its partitions serve nothing from the first
 * kill to the second restart (seed 2: 25 s to 54 s, fault p99 32.9 s; seeds 1 and 21: 12.5-13.4 s).
 * With at-least-once
 * (sut-alo.ts) it fails on `duplicates == 0`, as it should.
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s'],
    fault: ['e2e_latency.p99 < 50s'],
    recovery: ['e2e_latency.p99 < 35s'],
    drain: ['drain_time < 8s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
