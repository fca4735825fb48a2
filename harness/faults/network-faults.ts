import type { LinkKind, LinkSpec } from '../cluster/cluster-layout.ts';
import { linksOfBroker } from '../cluster/cluster-layout.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { harnessToxicName, type ToxicAttributes, type ToxicStream, type ToxicType } from '../cluster/toxiproxy-links.ts';
import { HarnessError } from '../errors.ts';
import { optionalNumber, readArray, readEnum, readNumber, readObject } from '../validation.ts';
import { BROKER_SELECTOR_KEYS, parseBrokerSelector, resolveBroker, type BrokerSelector } from './broker-target.ts';
import type { ActiveFault, FaultContext, FaultType } from './fault.ts';

const LINK_KINDS = ['client', 'internal', 'controller', 'replication'] as const;
const STREAMS = ['upstream', 'downstream', 'both'] as const;

interface LinkChoice {
  selector: BrokerSelector;
  kinds: LinkKind[];
}

interface ToxicFaultAttributes<T extends ToxicType> extends LinkChoice {
  streams: ToxicStream[];
  toxic: ToxicAttributes[T];
}

let toxicCounter = 0;

const noToxiproxy = (cluster: StartedCluster) => `network faults need a Toxiproxy URL, which this ${cluster.provider} cluster was not given`;

function toxiproxyOf(cluster: StartedCluster) {
  const toxiproxy = cluster.toxiproxy();
  if (!toxiproxy) throw new HarnessError('FAULT_UNSUPPORTED', noToxiproxy(cluster));
  return toxiproxy;
}

/** Told before a run (and to explore's mix): a cluster without a Toxiproxy has no links to break. */
async function toxiproxyUnavailable(cluster: StartedCluster): Promise<string | undefined> {
  return cluster.toxiproxy() ? undefined : noToxiproxy(cluster);
}

function parseLinkChoice(attrs: Record<string, unknown>, path: string, defaultKinds: LinkKind[]): LinkChoice {
  const kinds = attrs.links === undefined ? defaultKinds : readArray(attrs.links, `${path}.links`).map((k, i) => readEnum(k, `${path}.links[${i}]`, LINK_KINDS));
  if (kinds.length === 0) throw new HarnessError('CONFIG_INVALID', `${path}.links: expected at least one of ${LINK_KINDS.join(', ')}`);
  return { selector: parseBrokerSelector(attrs, path), kinds };
}

/** The links in front of a broker's listeners of the chosen kinds (controller: from the other nodes). */
function linksInto(cluster: StartedCluster, brokerId: number, kinds: LinkKind[]): LinkSpec[] {
  return cluster.links().filter((l) => l.brokerId === brokerId && kinds.includes(l.kind) && !(l.kind === 'controller' && l.fromBrokerId === brokerId));
}

/** A fault that adds one Toxiproxy toxic to each chosen link and direction; heal removes them. */
function toxicFault<T extends ToxicType>(
  name: string,
  type: T,
  summary: string,
  readToxic: (attrs: Record<string, unknown>, path: string) => ToxicAttributes[T],
  toxicKeys: readonly string[],
): FaultType<ToxicFaultAttributes<T>> {
  return {
    name,
    summary,
    needsProcessControl: false,
    unavailable: toxiproxyUnavailable,
    parse(attributes, path) {
      const attrs = readObject(attributes ?? {}, path, [...BROKER_SELECTOR_KEYS, 'links', 'stream', ...toxicKeys]);
      const stream = attrs.stream === undefined ? 'downstream' : readEnum(attrs.stream, `${path}.stream`, STREAMS);
      return {
        ...parseLinkChoice(attrs, path, ['client']),
        streams: stream === 'both' ? ['upstream', 'downstream'] : [stream],
        toxic: readToxic(attrs, path),
      };
    },
    async start(context: FaultContext, attrs): Promise<ActiveFault> {
      const toxiproxy = toxiproxyOf(context.cluster);
      const { id, label } = await resolveBroker(context.cluster, attrs.selector, context.rng);
      const links = linksInto(context.cluster, id, attrs.kinds);
      const added: { link: string; toxic: string }[] = [];
      const n = ++toxicCounter;
      for (const link of links) {
        for (const stream of attrs.streams) {
          const toxic = harnessToxicName(name, n, stream);
          await toxiproxy.addToxic(link.name, { name: toxic, type, stream, attributes: attrs.toxic });
          added.push({ link: link.name, toxic });
        }
      }
      let healed = false;
      return {
        target: `${label}: ${links.map((l) => l.name).join(', ')} (${attrs.streams.join('+')})`,
        async heal() {
          if (healed) return;
          healed = true;
          await Promise.all(added.map((a) => toxiproxy.removeToxic(a.link, a.toxic)));
        },
      };
    },
  };
}

/** Takes every link into and out of a broker down: clients, replicas and the quorum lose it. */
const isolate: FaultType<LinkChoice> = {
  name: 'net.isolate',
  summary: 'disable every link into and out of a broker (network partition of one node)',
  needsProcessControl: false,
  unavailable: toxiproxyUnavailable,
  parse(attributes, path) {
    const attrs = readObject(attributes ?? {}, path, [...BROKER_SELECTOR_KEYS, 'links']);
    return parseLinkChoice(attrs, path, [...LINK_KINDS]);
  },
  async start(context, attrs) {
    const toxiproxy = toxiproxyOf(context.cluster);
    const { id, label } = await resolveBroker(context.cluster, attrs.selector, context.rng);
    const links = linksOfBroker(context.cluster.links(), id).filter((l) => attrs.kinds.includes(l.kind));
    for (const link of links) await toxiproxy.setEnabled(link.name, false);
    let healed = false;
    return {
      target: `${label}: ${links.length} links down`,
      async heal() {
        if (healed) return;
        healed = true;
        for (const link of links) await toxiproxy.setEnabled(link.name, true);
      },
    };
  },
};

/** Toxiproxy keeps toxic attributes as integers; a bound a 32-bit int holds refuses 1e308 before a lab starts, not at the fault. */
export const MAX_TOXIC_ATTRIBUTE = 2_147_483_647;

const ms = (attrs: Record<string, unknown>, key: string, path: string, fallback?: number) => {
  const options = { min: 0, max: MAX_TOXIC_ATTRIBUTE, integer: true };
  return fallback === undefined ? readNumber(attrs[key], `${path}.${key}`, options) : optionalNumber(attrs[key], `${path}.${key}`, fallback, options);
};

export const NETWORK_FAULTS: FaultType<any>[] = [
  isolate,
  toxicFault('net.latency', 'latency', 'add latency (ms, +jitter) to a broker\'s links', (a, p) => ({ latency: ms(a, 'latency', p), jitter: ms(a, 'jitter', p, 0) }), ['latency', 'jitter']),
  toxicFault('net.bandwidth', 'bandwidth', 'limit a broker\'s links to `rate` KB/s', (a, p) => ({ rate: ms(a, 'rate', p) }), ['rate']),
  toxicFault('net.timeout', 'timeout', 'blackhole: stop all data, close after `timeout` ms (0 = never)', (a, p) => ({ timeout: ms(a, 'timeout', p, 0) }), ['timeout']),
  toxicFault('net.reset_peer', 'reset_peer', 'reset connections (TCP RST) after `timeout` ms', (a, p) => ({ timeout: ms(a, 'timeout', p, 0) }), ['timeout']),
  toxicFault('net.slow_close', 'slow_close', 'delay closing connections by `delay` ms', (a, p) => ({ delay: ms(a, 'delay', p) }), ['delay']),
  toxicFault(
    'net.slicer',
    'slicer',
    'slice data into `average_size`-byte packets, `delay` µs apart',
    (a, p) => ({ average_size: ms(a, 'average_size', p), size_variation: ms(a, 'size_variation', p, 0), delay: ms(a, 'delay', p, 0) }),
    ['average_size', 'size_variation', 'delay'],
  ),
  toxicFault('net.limit_data', 'limit_data', 'close connections after `bytes` bytes', (a, p) => ({ bytes: ms(a, 'bytes', p) }), ['bytes']),
];
