import { defineScenario } from '../model/define-scenario.ts';

/**
 * Jepsen's bridge across the KRaft quorum: five combined nodes split into two pairs that cannot
 * reach each other, joined by one node that reaches both. The quorum must keep one active
 * controller (never two in an epoch: `quorum`), and the records must come through. The active
 * controller is isolated first, so the bridge meets a quorum that has just changed leader (and
 * the history holds that election: KRaft's pre-vote keeps a leader through a bridge alone).
 */
export default defineScenario({
  name: 'quorum-bridge',
  description: 'isolate the active controller for 6 s, then a net.partition bridge over 5 nodes for 15 s: one leader per epoch, a leader at the end, nothing lost.',
  brokers: 5,
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '5s' },
    { name: 'fault', duration: '30s' },
    { name: 'recovery', duration: '20s' },
    { name: 'drain', duration: '15s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [
    { at: 'phase:fault+1s', type: 'net.partition', duration: '6s', attrs: { topology: 'isolate', node: 'controller' } },
    { at: 'phase:fault+10s', type: 'net.partition', duration: '15s', attrs: { topology: 'bridge', node: 'random' } },
  ],
  checkers: ['quorum', 'lost', 'duplicates'],
  slas: { run: ['lost == 0', 'duplicates == 0'] },
});
