import { defineScenario } from '../model/define-scenario.ts';

/**
 * An exploration base for `streamproof explore --scenario scenarios/jepsen/explore-acks1.ts`:
 * the acks=1 producer of minority-leader-acks1.ts on 5 nodes, and a mix of up to three faults
 * among a true partition of the leader's minority, client-link latency and SUT pauses.
 * Exploration should find the acks=1 loss and shrink it to the partition alone. (With
 * `broker.pause` in the mix too, it shrank the loss to one 8 s pause of a leader: acks=1 also
 * loses what a paused leader acknowledged and had not replicated.)
 */
export default defineScenario({
  name: 'explore-acks1',
  description: 'explore base: acks=1 on 5 nodes; the mix holds a minority partition of input/0, SUT pauses and latency.',
  brokers: 5,
  sut: { topicConfig: { 'unclean.leader.election.enable': true, 'min.insync.replicas': 2 } },
  phases: [
    { name: 'warm-up', duration: '6s' },
    { name: 'fault', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, acks: 1 },
  faultMix: {
    count: 3,
    types: { 'sut.pause': 1, 'net.latency': 1, 'net.partition': 1 },
    attrs: {
      'sut.pause': { instance: 0 },
      'net.latency': { broker: 'random', latency: 200, stream: 'both' },
      'net.partition': { topology: 'halves', minority: ['leader', 'follower'], topic: '$input', partition: 0 },
    },
    minDuration: '8s',
    maxDuration: '12s',
  },
  checkers: ['lost', 'duplicates'],
  slas: { run: ['lost == 0'] },
});
