import { defineScenario } from '../../../scenarios/model/define-scenario.ts';

/**
 * A canary at a trickle (5 orders/s): each fetched batch holds about one record, so a per-record
 * cost shows in end-to-end latency as itself rather than multiplied by the batch size (at 40/s a
 * 20 ms per-record delay grows batches and adds several hundred ms).
 */
export default defineScenario({
  name: 'compare-canary-trickle',
  description: 'Canary comparison: 2 instances in one group, 5 orders/s for 40 s (about one record per batch), no faults, one broker.',
  brokers: 1,
  sut: { instances: 2 },
  phases: [
    { name: 'warm-up', duration: '5s' },
    { name: 'steady', duration: '35s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 5, knobs: { maxDisorderMs: 2000 } },
  checkers: ['lost', 'duplicates', 'order', 'conservation'],
  slas: {
    steady: ['e2e_latency.p99 < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
