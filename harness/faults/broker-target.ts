import type { StartedCluster } from '../cluster/started-cluster.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { HarnessError } from '../errors.ts';
import type { Random } from '../random.ts';
import { optionalNumber, readEnum, readNumber, readString } from '../validation.ts';

/** Which broker a fault hits: an id, the leader or a follower of a partition, the active controller, or one picked by the seed. */
export type BrokerSelector =
  | { kind: 'id'; id: number }
  | { kind: 'leader'; topic: string; partition: number }
  | { kind: 'follower'; topic: string; partition: number }
  | { kind: 'controller' }
  | { kind: 'random' };

/** A partition index of a topic of at most 1000 partitions (a SUT file's and a scenario's bound). */
export const MAX_PARTITION = 999;

export const BROKER_SELECTOR_KEYS = ['broker', 'topic', 'partition'] as const;

export function parseBrokerSelector(attrs: Record<string, unknown>, path: string): BrokerSelector {
  const broker = attrs.broker ?? 'random';
  if (typeof broker === 'number') return { kind: 'id', id: readNumber(broker, `${path}.broker`, { integer: true, min: 0 }) };
  const kind = readEnum(broker, `${path}.broker`, ['leader', 'follower', 'controller', 'random'] as const);
  if (kind === 'leader' || kind === 'follower') {
    return { kind, topic: readString(attrs.topic, `${path}.topic`), partition: optionalNumber(attrs.partition, `${path}.partition`, 0, { integer: true, min: 0, max: MAX_PARTITION }) };
  }
  return { kind };
}

export async function resolveBroker(cluster: StartedCluster, selector: BrokerSelector, rng: Random): Promise<{ id: number; label: string }> {
  const ids = cluster.brokers().map((b) => b.id);
  switch (selector.kind) {
    case 'id':
      if (!ids.includes(selector.id)) throw new HarnessError('CONFIG_INVALID', `broker ${selector.id} is not in this cluster (brokers: ${ids.join(', ')})`);
      return { id: selector.id, label: `broker ${selector.id}` };
    case 'random': {
      const id = rng.pick(ids);
      return { id, label: `broker ${id} (random)` };
    }
    case 'controller': {
      const id = await cluster.activeControllerId?.();
      if (id === undefined) throw new HarnessError('FAULT_UNSUPPORTED', `the ${cluster.provider} provider cannot tell the active controller`);
      return { id, label: `broker ${id} (active controller)` };
    }
    case 'leader': {
      const id = await partitionLeader(cluster, selector.topic, selector.partition);
      return { id, label: `broker ${id} (leader of ${selector.topic}/${selector.partition})` };
    }
    case 'follower': {
      // A replica that is not the leader now, picked by the seed among them in id order.
      const { leader, replicas } = await partitionReplicas(cluster, selector.topic, selector.partition);
      const followers = replicas.filter((r) => r !== leader).sort((a, b) => a - b);
      if (followers.length === 0) throw new HarnessError('FAULT_FAILED', `${selector.topic}/${selector.partition} has no follower (replicas: ${replicas.join(', ')})`);
      const id = rng.pick(followers);
      return { id, label: `broker ${id} (follower of ${selector.topic}/${selector.partition}, leader ${leader})` };
    }
  }
}

export async function partitionLeader(cluster: StartedCluster, topic: string, partition: number): Promise<number> {
  return (await partitionReplicas(cluster, topic, partition)).leader;
}

/** The partition's leader now, its replica set and its in-sync replicas, from metadata. */
export async function partitionReplicas(cluster: StartedCluster, topic: string, partition: number): Promise<{ leader: number; replicas: number[]; isr: number[] }> {
  const admin = createKafka(cluster.clientSettings('streamproof-faults')).admin();
  try {
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const found = meta.topics[0]?.partitions.find((p) => p.partitionId === partition);
    if (found === undefined || found.leader < 0) throw new HarnessError('FAULT_FAILED', `${topic}/${partition} has no leader right now`);
    return { leader: found.leader, replicas: found.replicas, isr: found.isr };
  } finally {
    await admin.disconnect();
  }
}
