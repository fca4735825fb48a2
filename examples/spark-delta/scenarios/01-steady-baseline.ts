import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/01-steady-baseline.ts';
import { SPARK_CHECKERS } from '../spark-checkers.ts';

/** The default steady-baseline on one broker, judged by the Spark job's own bounds (README.md). */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  brokers: 1,
  checkers: SPARK_CHECKERS,
  slas: {
    steady: ['e2e_latency.p50 < 30s', 'e2e_latency.p99 < 45s', 'throughput(records) > 90/s'],
    drain: ['drain_time < 45s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq == 0'],
  },
});
