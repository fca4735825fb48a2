import { defineScenario, scenarioInputOf } from '../../../scenarios/model/define-scenario.ts';
import type { ScenarioInput } from '../../../scenarios/model/scenario.ts';
import base from '../../../scenarios/01-steady-baseline.ts';

/**
 * The default steady-baseline (no faults, 2 s disorder, 1% re-sent events), judged by the
 * Kafka Streams example's own bounds: measured on the 3-broker lab on 2 cores (README.md).
 * The app does not deduplicate: each re-sent copy is one output (the duplicates checker allows
 * one output per input copy), and no record of the steady phase may be dropped as late (Kafka
 * Streams' dropped-records-total must not grow during it). Not over the whole run: the harness's
 * priming events (stamped 120 s before the event-time origin, sent before the warm-up) can reach
 * their repartition task after the first load records and be dropped as late in the warm-up
 * (seed 1: one of 7, at 5.2 s), as Kafka Streams' per-task stream time allows.
 */
export default defineScenario({
  ...(scenarioInputOf(base) as ScenarioInput),
  slas: {
    steady: ['e2e_latency.p50 < 2500ms', 'e2e_latency.p99 < 6s', 'consumer_lag.max < 600', 'throughput > 90/s', 'sut.streams_example_dropped_records_total.increase == 0'],
    drain: ['drain_time < 5s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq == 0'],
  },
});
