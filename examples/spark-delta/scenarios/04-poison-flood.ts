import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/07-poison-flood.ts';
import { SPARK_CHECKERS } from '../spark-checkers.ts';

/** The default poison-flood (500 poison records in 5 s) on one broker: every one in the DLQ with its reason, judged by the Spark job's own bounds (README.md). */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  brokers: 1,
  checkers: SPARK_CHECKERS,
  slas: {
    // Micro-batches land 5-8 s apart, so the 13 s fault phase sees one to three of them: its
    // records throughput was 70-170/s at 100 events/s. Bounded low: good records keep flowing.
    fault: ['e2e_latency.p99 < 45s', 'throughput(records) > 35/s'],
    drain: ['drain_time < 45s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq > 0', 'dlq <= 500'],
  },
});
