import { HarnessError } from '../errors.ts';
import type { Random } from '../random.ts';

/**
 * Jepsen's partition topologies over a lab's processes, as pure functions: which members
 * cannot reach which. Members are brokers (`b1`, `b2`, ...) and SUT instances (`sut` for all of
 * them, `sut-0` for one). A member no group names keeps every link (the harness's own clients
 * are never cut: they observe).
 */
export type Member = string;

export type Topology =
  | { kind: 'isolate'; node: Member }
  | { kind: 'halves'; minority: Member[] }
  | { kind: 'bridge'; node: Member }
  | { kind: 'ring' }
  | { kind: 'groups'; groups: Member[][] };

/** Two sets of members that cannot reach each other, in both directions. */
export interface Cut {
  a: Member[];
  b: Member[];
}

export const TOPOLOGIES = ['isolate', 'halves', 'bridge', 'ring', 'groups'] as const;

export const brokerMember = (id: number): Member => `b${id}`;
const isSut = (m: Member) => m === 'sut' || m.startsWith('sut-');

/** The cuts a topology makes among `brokers` (ids) and the SUT; `rng` orders bridge and ring. */
export function cutsOf(topology: Topology, brokers: number[], rng: Random): Cut[] {
  const all = brokers.map(brokerMember);
  switch (topology.kind) {
    case 'isolate': {
      const rest = [...all.filter((m) => m !== topology.node), ...(isSut(topology.node) ? [] : ['sut'])];
      return [{ a: [topology.node], b: rest }];
    }
    case 'halves': {
      const minority = topology.minority;
      const majority = [...all.filter((m) => !minority.includes(m)), ...(minority.some(isSut) ? [] : ['sut'])];
      if (minority.length === 0 || majority.length === 0) throw new HarnessError('CONFIG_INVALID', 'net.partition halves: both sides need a member');
      return [{ a: minority, b: majority }];
    }
    case 'bridge': {
      const others = rng.shuffle(all.filter((m) => m !== topology.node));
      if (others.length < 2) throw new HarnessError('CONFIG_INVALID', `net.partition bridge: needs at least 3 brokers (has ${all.length})`);
      const half = Math.ceil(others.length / 2);
      return [{ a: others.slice(0, half), b: others.slice(half) }];
    }
    case 'ring': {
      if (all.length < 4) throw new HarnessError('CONFIG_INVALID', `net.partition ring: needs at least 4 brokers (has ${all.length})`);
      const order = rng.shuffle(all);
      // Each node keeps its nearest neighbours on both sides: itself and them are a majority, no two the same one.
      const reach = Math.ceil(Math.floor(all.length / 2) / 2);
      const cuts: Cut[] = [];
      for (let i = 0; i < order.length; i++) {
        for (let j = i + 1; j < order.length; j++) {
          const distance = Math.min(j - i, order.length - (j - i));
          if (distance > reach) cuts.push({ a: [order[i]!], b: [order[j]!] });
        }
      }
      return cuts;
    }
    case 'groups': {
      const cuts: Cut[] = [];
      for (let i = 0; i < topology.groups.length; i++) {
        for (let j = i + 1; j < topology.groups.length; j++) cuts.push({ a: topology.groups[i]!, b: topology.groups[j]! });
      }
      return cuts;
    }
  }
}

/** A cut drawn for a person: `{b1 b2} x {b3 b4 sut}`. */
export function describeCuts(cuts: Cut[]): string {
  return cuts.map((c) => `{${c.a.join(' ')}} x {${c.b.join(' ')}}`).join(', ');
}

/** Whether two members can still reach each other under these cuts (tests, reports). */
export function connected(cuts: Cut[], x: Member, y: Member): boolean {
  const covers = (side: Member[], m: Member) => side.includes(m) || (m.startsWith('sut-') && side.includes('sut'));
  return !cuts.some((c) => (covers(c.a, x) && covers(c.b, y)) || (covers(c.a, y) && covers(c.b, x)));
}
