import { defineScenario } from '../model/define-scenario.ts';

/**
 * The same partition as minority-leader-acks1.ts with acks=all and min ISR 2: the old leader
 * cannot shrink its ISR without the controller, so it acknowledges nothing the third replica
 * lacks; the producer times out, retries, and finds the new leader. Nothing acknowledged is lost.
 */
export default defineScenario({
  name: 'minority-leader-acks-all',
  description: 'net.partition halves: {leader of input/0, an in-sync follower} x {the rest}, acks=all, min ISR 2: nothing acknowledged is lost.',
  brokers: 5,
  sut: { topicConfig: { 'unclean.leader.election.enable': true, 'min.insync.replicas': 2 } },
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '5s' },
    { name: 'fault', duration: '30s' },
    { name: 'recovery', duration: '20s' },
    { name: 'drain', duration: '15s' },
  ],
  workload: { domain: 'orders', rate: 100, acks: 'all' },
  faults: [{ at: 'phase:fault+2s', type: 'net.partition', duration: '20s', attrs: { topology: 'halves', minority: ['leader', 'follower'], topic: '$input', partition: 0 } }],
  checkers: ['lost', 'duplicates'],
  slas: { run: ['lost == 0'] },
});
