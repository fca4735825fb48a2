import { defineScenario } from '../model/define-scenario.ts';

/**
 * Jepsen's bridge across the KRaft quorum: five combined nodes split into two pairs that cannot
 * reach each other, joined by one node that reaches both. The quorum must keep one active
 * controller (never two in an epoch: `quorum`), and the records must come through.
 */
export default defineScenario({
  name: 'quorum-bridge',
  description: 'net.partition bridge over 5 nodes for 20 s: one leader per epoch, a leader at the end, nothing lost.',
  brokers: 5,
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '5s' },
    { name: 'fault', duration: '30s' },
    { name: 'recovery', duration: '20s' },
    { name: 'drain', duration: '15s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [{ at: 'phase:fault+2s', type: 'net.partition', duration: '20s', attrs: { topology: 'bridge', node: 'random' } }],
  checkers: ['quorum', 'lost', 'duplicates'],
  slas: { run: ['lost == 0', 'duplicates == 0'] },
});
