import { defineScenario } from '../../../scenarios/model/define-scenario.ts';

/** The default of `compare --mode shadow`: short and fault-free, so up to three pipelines fit a 2-core machine. */
export default defineScenario({
  name: 'compare-shadow-steady',
  description: 'Shadow comparison: 50 orders/s for 30 s over 50 hot keys (per-key order is exercised), 2 s disorder, 1% re-sent events, no faults, one broker.',
  brokers: 1,
  phases: [
    { name: 'warm-up', duration: '5s' },
    { name: 'steady', duration: '25s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 50, knobs: { maxDisorderMs: 2000, duplicateFraction: 0.01, keyCount: 50 } },
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'aggregates'],
  slas: {
    steady: ['e2e_latency.p99 < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
