import { defineScenario } from '../model/define-scenario.ts';
import { minorityLeaderPartition } from './minority-leader-acks1.ts';

/**
 * The same partition as minority-leader-acks1.ts with acks=all and min ISR 2: the old leader
 * cannot shrink its ISR without the controller, so it acknowledges nothing the third replica
 * lacks; the producer times out, retries, and finds the new leader. Nothing acknowledged is lost.
 */
export default defineScenario({
  ...minorityLeaderPartition,
  name: 'minority-leader-acks-all',
  description: 'net.partition halves: {leader of input/0, an in-sync follower} x {the rest}, acks=all, min ISR 2: nothing acknowledged is lost.',
  workload: { ...minorityLeaderPartition.workload, acks: 'all' },
});
