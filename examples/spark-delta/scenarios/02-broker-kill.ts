import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/02-leader-kill.ts';
import { SPARK_CHECKERS } from '../spark-checkers.ts';

/** The default leader-kill on one broker (the whole cluster goes down 8 s and restarts with its data), judged by the Spark job's own bounds (README.md). */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  name: 'broker-kill',
  description: 'SIGKILL the only broker for 8 s, then start it again with its data (it is back about 10 s later, once its JVM is up).',
  brokers: 1,
  checkers: SPARK_CHECKERS,
  slas: {
    fault: ['e2e_latency.p99 < 60s'],
    recovery: ['e2e_latency.p99 < 45s'],
    drain: ['drain_time < 45s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
