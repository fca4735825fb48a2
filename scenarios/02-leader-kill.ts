import { defineScenario } from './model/define-scenario.ts';

/** SIGKILL the leader of an input partition: leadership moves, the transactions must not lose or repeat. */
export default defineScenario({
  name: 'leader-kill',
  description: 'SIGKILL the leader of orders.raw.v1/0 for 10 s, then start it again with its data.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '18s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [{ at: 'phase:fault+5s', type: 'broker.kill', duration: '10s', attrs: { broker: 'leader', topic: 'orders.raw.v1', partition: 0 } }],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation'],
  slas: {
    steady: ['e2e_latency.p99 < 5s'],
    fault: ['e2e_latency.p99 < 30s'],
    recovery: ['recovery_time < 30s', 'e2e_latency.p99 < 15s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
