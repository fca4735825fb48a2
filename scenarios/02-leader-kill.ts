import { defineScenario } from './model/define-scenario.ts';
import { FAULT_HAZARDS } from './model/fault-hazards.ts';

/** SIGKILL the leader of an input partition: leadership moves, the transactions must not lose or repeat. */
export default defineScenario({
  name: 'leader-kill',
  description: 'SIGKILL the leader of partition 0 of the input topic for 8 s, then start it again with its data (it is back about 10 s later, once its JVM is up).',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '16s' },
    // The heal is when the restarted broker is ready, ~10 s after the kill ends: recovery must
    // outlast that by enough sends to see latency settle.
    { name: 'recovery', duration: '22s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: FAULT_HAZARDS },
  faults: [{ at: 'phase:fault+5s', type: 'broker.kill', duration: '8s', attrs: { broker: 'leader', topic: '$input', partition: 0 } }],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['e2e_latency.p99 < 30s'],
    recovery: ['recovery_time < 30s', 'e2e_latency.p99 < 15s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
