import { defineScenario } from './model/define-scenario.ts';

/** A network partition of one node: clients, replicas and the quorum lose the leader. */
export default defineScenario({
  name: 'broker-isolation',
  description: 'net.isolate the leader of partition 0 of the input topic (every link in and out) for 8 s, then heal.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '15s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [{ at: 'phase:fault+5s', type: 'net.isolate', duration: '8s', attrs: { broker: 'leader', topic: '$input', partition: 0 } }],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['e2e_latency.p99 < 30s'],
    recovery: ['recovery_time < 30s', 'e2e_latency.p99 < 15s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
