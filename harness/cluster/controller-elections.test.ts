import { describe, expect, it } from 'vitest';
import { activeControllerOf, electionsFromLogs } from './controller-elections.ts';

const line = (time: string, node: number, epoch: number, leader: string) =>
  `[2026-12-03 ${time}] INFO [QuorumController id=${node}] In the new epoch ${epoch}, the leader is ${leader}. (org.apache.kafka.controller.QuorumController)`;

describe('controller elections from the nodes\' logs', () => {
  it('keeps one row per epoch and leader, first seen time, and who saw it', () => {
    const elections = electionsFromLogs([
      [line('09:00:01,500', 1, 1, '(none)'), line('09:00:01,700', 1, 1, '2'), line('09:00:09,000', 1, 2, '3')].join('\n'),
      [line('09:00:01,650', 2, 1, '2'), line('09:00:08,900', 2, 2, '3')].join('\n'),
    ]);
    expect(elections.map((e) => [e.epoch, e.leader, e.seenBy])).toEqual([
      [1, undefined, [1]],
      [1, 2, [1, 2]],
      [2, 3, [1, 2]],
    ]);
    expect(elections[1]!.atMs).toBe(new Date('2026-12-03T09:00:01.650').getTime());
    expect(activeControllerOf(elections)).toBe(3);
  });

  it('hears the winner and the renouncing old leader too', () => {
    const elections = electionsFromLogs([
      '[2026-12-03 09:38:21,883] INFO [QuorumController id=1] Becoming the active controller at epoch 2, next write offset 61. (org.apache.kafka.controller.QuorumController)',
      '[2026-12-03 09:38:22,181] WARN [QuorumController id=3] Renouncing the leadership due to a metadata log event. We were the leader at epoch 1, but in the new epoch 2, the leader is 1. Reverting to last stable offset 60. (org.apache.kafka.controller.QuorumController)',
      line('09:38:21,849', 2, 2, '1'),
    ]);
    expect(elections.map((e) => [e.epoch, e.leader, e.seenBy.sort()])).toEqual([[2, 1, [1, 2, 3]]]);
  });

  it('still reads the epochs from a log without our timestamps', () => {
    const elections = electionsFromLogs(['[QuorumController id=3] In the new epoch 7, the leader is 1.']);
    expect(elections).toEqual([{ epoch: 7, leader: 1, atMs: undefined, seenBy: [3] }]);
  });
});
