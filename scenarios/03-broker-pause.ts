import { defineScenario } from './model/define-scenario.ts';
import { FAULT_HAZARDS } from './model/fault-hazards.ts';

/** A gray failure: the leader's process is frozen (SIGSTOP) with its sockets open, then thawed. */
export default defineScenario({
  name: 'broker-pause',
  description: 'SIGSTOP the leader of partition 0 of the input topic for 8 s (longer than the broker session timeout), then SIGCONT.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '15s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: FAULT_HAZARDS },
  faults: [{ at: 'phase:fault+5s', type: 'broker.pause', duration: '8s', attrs: { broker: 'leader', topic: '$input', partition: 0 } }],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['e2e_latency.p99 < 30s'],
    recovery: ['recovery_time < 30s', 'e2e_latency.p99 < 15s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
