import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/04-broker-isolation.ts';
import { SPARK_CHECKERS } from '../spark-checkers.ts';

/** The default broker-isolation on one broker (every link of the only broker cut for 8 s), judged by the Spark job's own bounds (README.md). */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  brokers: 1,
  checkers: SPARK_CHECKERS,
  slas: {
    fault: ['e2e_latency.p99 < 45s'],
    recovery: ['e2e_latency.p99 < 45s'],
    drain: ['drain_time < 45s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
