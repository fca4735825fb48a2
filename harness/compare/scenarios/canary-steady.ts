import { defineScenario } from '../../../scenarios/model/define-scenario.ts';

/** The default of `compare --mode canary`: two members in one group (one per version at fraction 0.5), no faults. */
export default defineScenario({
  name: 'compare-canary-steady',
  description: 'Canary comparison: 2 instances in one group, 40 orders/s for 40 s, no faults, one broker.',
  brokers: 1,
  sut: { instances: 2 },
  phases: [
    { name: 'warm-up', duration: '5s' },
    { name: 'steady', duration: '35s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 40, knobs: { maxDisorderMs: 2000 } },
  checkers: ['lost', 'duplicates', 'order', 'conservation'],
  slas: {
    steady: ['e2e_latency.p99 < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
