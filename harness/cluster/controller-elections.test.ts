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

  it('still reads the epochs from a log without our timestamps', () => {
    const elections = electionsFromLogs(['[QuorumController id=3] In the new epoch 7, the leader is 1.']);
    expect(elections).toEqual([{ epoch: 7, leader: 1, atMs: undefined, seenBy: [3] }]);
  });
});
