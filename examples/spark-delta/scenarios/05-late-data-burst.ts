import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/08-late-data-burst.ts';
import { SPARK_CHECKERS } from '../spark-checkers.ts';

/**
 * The default late-data-burst (300 events 120 s late) on one broker. The job dedupes within 10
 * min of event time, so late events reach silver; the gold windows' 30 s watermark drops them
 * (promises.late: 'dropped'), which `aggregates` judges. No late topic: not `late > 0`.
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  brokers: 1,
  checkers: SPARK_CHECKERS,
  slas: {
    fault: ['e2e_latency.p99 < 45s'],
    drain: ['drain_time < 45s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq == 0'],
  },
});
