import { defineScenario } from './model/define-scenario.ts';
import { FAULT_HAZARDS } from './model/fault-hazards.ts';

/** Scale up, down, crash one instance mid-rebalance, scale again: partitions move four times. */
export default defineScenario({
  name: 'rebalance-storm',
  description: 'SUT scaled 2 -> 4 -> 2 -> 3 -> 2 instances over 17 s, with instance 1 SIGKILLed during the scale-down rebalance.',
  // 6 partitions: each of 4 members still owns one or two; 8 meant twice the transactions of the
  // 4-partition scenarios (one per partition per fetch), which pushed steady p99 over 5 s.
  sut: { instances: 2, partitions: 6 },
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '27s' },
    { name: 'recovery', duration: '13s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: FAULT_HAZARDS },
  faults: [
    { at: 'phase:fault+5s', type: 'sut.scale', attrs: { instances: 4 } },
    { at: 'phase:fault+10s', type: 'sut.scale', attrs: { instances: 2 } },
    { at: 'phase:fault+11s', type: 'sut.crash', duration: '4s', attrs: { instance: 1 } },
    { at: 'phase:fault+17s', type: 'sut.scale', attrs: { instances: 3 } },
    { at: 'phase:fault+22s', type: 'sut.scale', attrs: { instances: 2 } },
  ],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates', 'late', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['e2e_latency.p99 < 30s'],
    recovery: ['recovery_time < 30s', 'e2e_latency.p99 < 15s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
