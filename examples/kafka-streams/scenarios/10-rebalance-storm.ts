import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/10-rebalance-storm.ts';

/**
 * The default rebalance storm (2 -> 4 -> 2 -> 3 -> 2 instances, instance 1 SIGKILLed during the
 * scale-down, 6 partitions), judged by the Kafka Streams example's own bounds (measured on the
 * 3-broker lab on 2 cores: README.md). Every scale is a Kafka Streams rebalance (JVM start, task
 * migration, state restore from the changelog under exactly-once), hence the wide fault bound.
 *
 * No `recovery_time`: with 4 JVMs and 3 brokers on 2 cores the SIGKILLed instance 1 is ready again
 * 17-24 s after the kill (heal at 48-55 s of a run whose load ends at 60 s), and with static
 * membership it takes its tasks back as soon as it rejoins, so their records wait for it (p99
 * 25-27 s). Recovery needs 3 consecutive 1 s buckets under the steady p99 bound after the last
 * heal, and 5 s of load after it was not enough (seed 1: 2 good buckets after a 1 s gap, judged
 * "never recovered"). The recovery phase's p99 and the drain judge the recovery instead.
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s'],
    fault: ['e2e_latency.p99 < 40s'],
    recovery: ['e2e_latency.p99 < 20s'],
    drain: ['drain_time < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
