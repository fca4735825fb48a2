import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { LabAddresses } from '../cluster/lab-addresses.ts';
import { HarnessError } from '../errors.ts';
import type { Random } from '../random.ts';
import { optionalNumber, readArray, readEnum, readObject, readString } from '../validation.ts';
import { MAX_PARTITION, partitionReplicas } from './broker-target.ts';
import type { ActiveFault, FaultContext, FaultType } from './fault.ts';
import { addDropRules, nftablesUnavailable, removeDropRules, type DropRule } from './nft-rules.ts';
import { brokerMember, cutsOf, describeCuts, TOPOLOGIES, type Member, type Topology } from './partition-topology.ts';

/**
 * `net.partition`: a true network partition between chosen processes of a local lab, made of
 * nftables drop rules on their own loopback addresses (harness/faults/nft-rules.ts), so
 * "b1 and b2 cannot talk, both still reach b3" holds, which Toxiproxy's shared links cannot
 * give. Nodes are named by id or by role; roles are resolved when the fault starts.
 */
type NodeRef = number | 'leader' | 'controller' | 'random' | 'sut' | `follower-${number}` | `sut-${number}`;

interface PartitionAttributes {
  topology: (typeof TOPOLOGIES)[number];
  node?: NodeRef;
  minority?: NodeRef[];
  groups?: NodeRef[][];
  topic?: string;
  partition: number;
}

const SUT_INSTANCES = 16;

function parseRef(value: unknown, path: string): NodeRef {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  if (value === 'leader' || value === 'controller' || value === 'random' || value === 'sut') return value;
  if (value === 'follower') return 'follower-1';
  if (typeof value === 'string' && /^(follower-[1-9]|sut-(\d|1[0-5]))$/.test(value)) return value as NodeRef;
  throw new HarnessError(
    'CONFIG_INVALID',
    `${path}: expected a broker id, 'leader', 'follower' ('follower-2' ...), 'controller', 'random', 'sut' or 'sut-<instance>', got ${JSON.stringify(value)}`,
  );
}

function parse(attributes: unknown, path: string): PartitionAttributes {
  const attrs = readObject(attributes ?? {}, path, ['topology', 'node', 'minority', 'groups', 'topic', 'partition']);
  const topology = readEnum(attrs.topology, `${path}.topology`, TOPOLOGIES);
  const refs = (value: unknown, at: string) => readArray(value, at).map((r, i) => parseRef(r, `${at}[${i}]`));
  const parsed: PartitionAttributes = {
    topology,
    partition: optionalNumber(attrs.partition, `${path}.partition`, 0, { integer: true, min: 0, max: MAX_PARTITION }),
    ...(attrs.topic === undefined ? {} : { topic: readString(attrs.topic, `${path}.topic`) }),
  };
  const only = (key: string, allowed: boolean) => {
    if (!allowed && attrs[key] !== undefined) throw new HarnessError('CONFIG_INVALID', `${path}.${key}: not used by topology '${topology}'`);
  };
  only('node', topology === 'isolate' || topology === 'bridge');
  only('minority', topology === 'halves');
  only('groups', topology === 'groups');
  if (topology === 'isolate' || topology === 'bridge') parsed.node = attrs.node === undefined ? 'random' : parseRef(attrs.node, `${path}.node`);
  if (topology === 'halves' && attrs.minority !== undefined) parsed.minority = refs(attrs.minority, `${path}.minority`);
  if (topology === 'groups') {
    const groups = readArray(attrs.groups, `${path}.groups`).map((g, i) => refs(g, `${path}.groups[${i}]`));
    if (groups.length < 2 || groups.some((g) => g.length === 0)) throw new HarnessError('CONFIG_INVALID', `${path}.groups: expected at least two non-empty groups`);
    parsed.groups = groups;
  }
  const named = [parsed.node, ...(parsed.minority ?? []), ...(parsed.groups ?? []).flat()];
  if (named.some((r) => r === 'leader' || (typeof r === 'string' && r.startsWith('follower-'))) && parsed.topic === undefined) {
    throw new HarnessError('CONFIG_INVALID', `${path}.topic: 'leader' and 'follower' name the replicas of a partition: give its topic (and partition, default 0)`);
  }
  return parsed;
}

/** The replicas of one partition as the cluster reports them now: leader first, then in-sync followers. */
async function replicasOf(cluster: StartedCluster, topic: string, partition: number): Promise<number[]> {
  const { leader, replicas, isr } = await partitionReplicas(cluster, topic, partition);
  return [leader, ...replicas.filter((r) => r !== leader && isr.includes(r))];
}

/** Resolves roles to members; returns them and how each role was read, for the record. */
async function resolveRefs(cluster: StartedCluster, attrs: PartitionAttributes, rng: Random): Promise<{ resolve: (r: NodeRef) => Member; roles: string[] }> {
  const brokers = cluster.brokers().map((b) => b.id);
  const named = [attrs.node, ...(attrs.minority ?? []), ...(attrs.groups ?? []).flat()].filter((r): r is NodeRef => r !== undefined);
  const replicas = attrs.topic !== undefined && named.some((r) => r === 'leader' || String(r).startsWith('follower-')) ? await replicasOf(cluster, attrs.topic, attrs.partition) : [];
  const controller = named.includes('controller') ? await cluster.activeControllerId?.() : undefined;
  if (named.includes('controller') && controller === undefined) throw new HarnessError('FAULT_UNSUPPORTED', `the ${cluster.provider} provider cannot tell the active controller`);
  const roles: string[] = [];
  const taken = new Set<number>(named.filter((r): r is number => typeof r === 'number'));
  const broker = (id: number | undefined, role: string): Member => {
    if (id === undefined || !brokers.includes(id)) throw new HarnessError('FAULT_FAILED', `net.partition: no broker is ${role} (brokers: ${brokers.join(', ')})`);
    if (role !== `broker ${id}`) roles.push(`${role} = b${id}`);
    taken.add(id);
    return brokerMember(id);
  };
  const resolve = (ref: NodeRef): Member => {
    if (typeof ref === 'number') return broker(ref, `broker ${ref}`);
    if (ref === 'sut' || ref.startsWith('sut-')) return ref;
    if (ref === 'leader') return broker(replicas[0], `leader of ${attrs.topic}/${attrs.partition}`);
    if (ref === 'controller') return broker(controller, 'active controller');
    if (ref === 'random') {
      const free = brokers.filter((id) => !taken.has(id));
      return broker(rng.pick(free.length > 0 ? free : brokers), 'random');
    }
    const n = Number(ref.slice('follower-'.length));
    return broker(replicas[n], `in-sync follower ${n} of ${attrs.topic}/${attrs.partition}`);
  };
  return { resolve, roles };
}

function topologyOf(attrs: PartitionAttributes, resolve: (r: NodeRef) => Member, brokers: number[]): Topology {
  switch (attrs.topology) {
    case 'isolate':
      return { kind: 'isolate', node: resolve(attrs.node!) };
    case 'bridge':
      return { kind: 'bridge', node: resolve(attrs.node!) };
    case 'ring':
      return { kind: 'ring' };
    case 'halves': {
      const minority = attrs.minority ?? Array.from({ length: Math.max(1, Math.floor((brokers.length - 1) / 2)) }, () => 'random' as const);
      return { kind: 'halves', minority: minority.map(resolve) };
    }
    case 'groups':
      return { kind: 'groups', groups: attrs.groups!.map((g) => g.map(resolve)) };
  }
}

function addressesOf(member: Member, addresses: LabAddresses): string[] {
  if (member === 'sut') return [`${addresses.sutInstance(0)}-${addresses.sutInstance(SUT_INSTANCES - 1)}`];
  if (member.startsWith('sut-')) return [addresses.sutInstance(Number(member.slice(4)))];
  return [addresses.node(Number(member.slice(1)))];
}

/** Why partitions cannot run on this cluster and machine, or undefined. */
async function unavailable(cluster: StartedCluster): Promise<string | undefined> {
  const addressing = cluster.addressing?.();
  if (!addressing) return `the ${cluster.provider} provider's processes share one address (partitions need the local provider's per-node addresses)`;
  if (typeof addressing.sourceLayer !== 'function') return addressing.sourceLayer.reason;
  return nftablesUnavailable();
}

let partitionCounter = 0;

export const PARTITION_FAULTS: FaultType<PartitionAttributes>[] = [
  {
    name: 'net.partition',
    summary: "cut chosen processes off from each other with nftables (isolate, halves, bridge, ring, groups); heal removes the rules",
    needsProcessControl: false,
    parse,
    unavailable,
    async start(context: FaultContext, attrs): Promise<ActiveFault> {
      const reason = await unavailable(context.cluster);
      if (reason !== undefined) throw new HarnessError('FAULT_UNSUPPORTED', `net.partition is unavailable here: ${reason}`);
      const { addresses } = context.cluster.addressing!();
      const brokers = context.cluster.brokers().map((b) => b.id);
      const { resolve, roles } = await resolveRefs(context.cluster, attrs, context.rng);
      const cuts = cutsOf(topologyOf(attrs, resolve, brokers), brokers, context.rng.fork('topology'));
      const rules: DropRule[] = cuts.flatMap((cut) => {
        const a = cut.a.flatMap((m) => addressesOf(m, addresses));
        const b = cut.b.flatMap((m) => addressesOf(m, addresses));
        return [{ from: a, to: b }, { from: b, to: a }];
      });
      const tag = `net.partition-${process.pid}-${++partitionCounter}`;
      addDropRules(tag, rules);
      let healed = false;
      return {
        target: `${attrs.topology} ${describeCuts(cuts)}${roles.length > 0 ? ` (${roles.join(', ')})` : ''}`,
        async heal() {
          if (healed) return;
          healed = true;
          removeDropRules(tag);
        },
      };
    },
  },
];
