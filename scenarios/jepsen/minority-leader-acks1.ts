import { defineScenario } from '../model/define-scenario.ts';
import type { ScenarioInput } from '../model/scenario.ts';

/**
 * Jepsen's classic Kafka finding, on real brokers: the leader of input/0 and one follower are cut
 * off from the other three nodes (which hold the controller quorum's majority and elect the
 * third replica leader), while the producer still reaches the old leader. With acks=1 it keeps
 * acknowledging writes that the new leader never has; at heal the old leader truncates them.
 * `lost` must report them with their offsets (this scenario is expected to FAIL).
 */
export const minorityLeaderPartition = {
  name: 'minority-leader-acks1',
  description: 'net.partition halves: {leader of input/0, an in-sync follower} x {the rest}, acks=1, unclean election on: acknowledged writes are lost.',
  brokers: 5,
  sut: { topicConfig: { 'unclean.leader.election.enable': true, 'min.insync.replicas': 2 } },
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '5s' },
    { name: 'fault', duration: '30s' },
    { name: 'recovery', duration: '20s' },
    { name: 'drain', duration: '15s' },
  ],
  workload: { domain: 'orders', rate: 100, acks: 1 as const },
  faults: [{ at: 'phase:fault+2s', type: 'net.partition', duration: '20s', attrs: { topology: 'halves', minority: ['leader', 'follower'], topic: '$input', partition: 0 } }],
  checkers: ['lost', 'duplicates'],
  slas: { run: ['lost == 0'] },
} satisfies ScenarioInput;

export default defineScenario(minorityLeaderPartition);
