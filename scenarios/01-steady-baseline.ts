import { defineScenario } from './model/define-scenario.ts';

/** No faults: the yardstick every other scenario is compared with. */
export default defineScenario({
  name: 'steady-baseline',
  description: 'Constant load with 2 s disorder and 1% re-sent events, no faults: every checker passes and latency stays low.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: { maxDisorderMs: 2000, duplicateFraction: 0.01 } },
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p50 < 3s', 'e2e_latency.p99 < 8s', 'consumer_lag.max < 2000', 'throughput > 90/s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq == 0'],
  },
});
