import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/08-late-data-burst.ts';

/**
 * The default late-data burst (300 events 120 s behind the event-time high-water mark), judged by
 * the Kafka Streams example's own bounds. The app has no late topic: Kafka Streams drops records
 * of windows closed past their grace (promise `late: 'dropped'`), so the default's `late` SLAs
 * (records routed to a late topic) are replaced by its own counter, `dropped-records-total`
 * summed per instance: at least the 300 late events, and not many on-time ones besides (seen: 300).
 * No task moves in this scenario, so the per-task counter is not reset by a rebalance.
 * The windows are judged by the declared oracle (aggregates).
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p99 < 6s'],
    fault: ['e2e_latency.p99 < 6s'],
    drain: ['drain_time < 5s'],
    run: [
      'lost == 0',
      'duplicates == 0',
      'dlq == 0',
      'sut.streams_example_dropped_records_total.increase >= 300',
      'sut.streams_example_dropped_records_total.increase <= 330',
    ],
  },
});
