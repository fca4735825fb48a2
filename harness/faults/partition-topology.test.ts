import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { connected, cutsOf } from './partition-topology.ts';
import { PARTITION_FAULTS } from './partition-faults.ts';

const brokers = [1, 2, 3, 4, 5];
const rng = () => new Random(7);
const members = ['b1', 'b2', 'b3', 'b4', 'b5'];

describe('partition topologies', () => {
  it('isolate: the node reaches nobody, the rest (the SUT too) all reach each other', () => {
    const cuts = cutsOf({ kind: 'isolate', node: 'b2' }, brokers, rng());
    for (const m of ['b1', 'b3', 'b4', 'b5', 'sut-0']) expect(connected(cuts, 'b2', m)).toBe(false);
    expect(connected(cuts, 'b1', 'b5')).toBe(true);
    expect(connected(cuts, 'sut-0', 'b4')).toBe(true);
  });

  it('halves: the minority talks within itself only; the SUT stays with the majority', () => {
    const cuts = cutsOf({ kind: 'halves', minority: ['b1', 'b2'] }, brokers, rng());
    expect(connected(cuts, 'b1', 'b2')).toBe(true);
    expect(connected(cuts, 'b1', 'b3')).toBe(false);
    expect(connected(cuts, 'b2', 'sut')).toBe(false);
    expect(connected(cuts, 'b3', 'sut-1')).toBe(true);
  });

  it('bridge: one node sees both halves, which do not see each other', () => {
    const cuts = cutsOf({ kind: 'bridge', node: 'b3' }, brokers, rng());
    for (const m of members) expect(connected(cuts, 'b3', m)).toBe(true);
    const others = members.filter((m) => m !== 'b3');
    const reach = (m: string) => others.filter((o) => o !== m && connected(cuts, m, o)).length;
    expect(others.map(reach)).toEqual([1, 1, 1, 1]); // two pairs, each cut from the other pair
  });

  it('ring: every node sees a majority (itself included), no two nodes the same one', () => {
    const cuts = cutsOf({ kind: 'ring' }, brokers, rng());
    const views = members.map((m) => members.filter((o) => o === m || connected(cuts, m, o)).sort().join());
    for (const view of views) expect(view.split(',').length).toBe(3);
    expect(new Set(views).size).toBe(5);
  });

  it('groups: cuts only across named groups; an unnamed node keeps every link', () => {
    const cuts = cutsOf({ kind: 'groups', groups: [['sut'], ['b1', 'b2']] }, brokers, rng());
    expect(connected(cuts, 'sut-3', 'b1')).toBe(false);
    expect(connected(cuts, 'sut-3', 'b3')).toBe(true);
    expect(connected(cuts, 'b1', 'b3')).toBe(true);
  });

  it('refuses a ring of fewer than 4 and a bridge of fewer than 3', () => {
    expect(() => cutsOf({ kind: 'ring' }, [1, 2, 3], rng())).toThrow(/at least 4/);
    expect(() => cutsOf({ kind: 'bridge', node: 'b1' }, [1, 2], rng())).toThrow(/at least 3/);
  });

  it('draws the same cuts from the same seed', () => {
    expect(cutsOf({ kind: 'ring' }, brokers, new Random(3))).toEqual(cutsOf({ kind: 'ring' }, brokers, new Random(3)));
  });
});

describe('net.partition attributes', () => {
  const parse = (attrs: unknown) => PARTITION_FAULTS[0]!.parse(attrs, 'faults[0].attrs');

  it('takes roles, defaults the partition and requires a topic for leader and followers', () => {
    expect(parse({ topology: 'halves', minority: ['leader', 'follower'], topic: 't' })).toMatchObject({ minority: ['leader', 'follower-1'], partition: 0 });
    expect(() => parse({ topology: 'halves', minority: ['leader'] })).toThrow(/faults\[0\]\.attrs\.topic/);
  });

  it('rejects unknown topologies, keys the topology does not use, and bad node names, with their path', () => {
    expect(() => parse({ topology: 'star' })).toThrow(/faults\[0\]\.attrs\.topology/);
    expect(() => parse({ topology: 'ring', node: 1 })).toThrow(/faults\[0\]\.attrs\.node: not used by topology 'ring'/);
    expect(() => parse({ topology: 'isolate', node: 'b1' })).toThrow(/faults\[0\]\.attrs\.node: expected a broker id/);
    expect(() => parse({ topology: 'groups', groups: [[1]] })).toThrow(/at least two non-empty groups/);
    expect(() => parse({ topology: 'isolate', nodes: 1 })).toThrow(/nodes/);
  });
});
