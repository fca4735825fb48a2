import { defineScenario } from './model/define-scenario.ts';

/** 300 events two minutes behind the watermark: routed to the late topic, windows stay right. */
export default defineScenario({
  name: 'late-data-burst',
  description: 'Bounded disorder (2 s) throughout, plus a burst of 300 events 120 s late (beyond the 30 s lateness bound).',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '13s' },
    { name: 'recovery', duration: '10s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: { maxDisorderMs: 2000, latenessBoundMs: 30000 } },
  faults: [{ at: 'phase:fault+5s', type: 'data.late-burst', duration: '3s', attrs: { count: 300, lateByMs: 120000 } }],
  checkers: ['lost', 'duplicates', 'conservation', 'aggregates', 'late', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['e2e_latency.p99 < 8s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0', 'late > 0', 'late <= 300', 'dlq == 0'],
  },
});
