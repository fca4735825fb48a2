import { defineScenario } from './model/define-scenario.ts';
import { FAULT_HAZARDS } from './model/fault-hazards.ts';

/** SIGKILL pipeline instances mid-transaction: the restarted instance must resume exactly once. */
export default defineScenario({
  name: 'crash-restart',
  description: 'SIGKILL SUT instance 0 (down 5 s, then restarted), later a random instance (down 3 s); transactions in flight are aborted.',
  sut: { instances: 2 },
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '18s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: FAULT_HAZARDS },
  faults: [
    { at: 'phase:fault+5s', type: 'sut.crash', duration: '5s', attrs: { instance: 0 } },
    { at: 'phase:fault+13s', type: 'sut.crash', duration: '3s', attrs: { instance: 'random' } },
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
