/**
 * The listener and link layout of a cluster (docs/cluster.md draws it). Per node: CLIENT,
 * INTERNAL, CONTROLLER and REPLICATION listeners on real ports, and one Toxiproxy link in front
 * of each, which the node advertises. REPLICATION is the door MirrorMaker 2 uses between sites:
 * its own link, so a drill can slow or cut replication without touching the clients. Raft followers fetch from the leader's advertised CONTROLLER
 * address, so that link is shared by all sources. On top, one controller link per
 * (source node, target node) pair, named in each node's own `controller.quorum.voters`:
 * brokers send heartbeats and forwarded requests to the active controller through these,
 * so isolating a node also cuts the traffic that keeps it a live member.
 */
import { labAddresses, type LabAddresses } from './lab-addresses.ts';

export type LinkKind = 'client' | 'internal' | 'controller' | 'replication';

export interface LinkSpec {
  name: string;
  kind: LinkKind;
  /** The broker whose listener this link fronts. */
  brokerId: number;
  /** For controller links: the node that dials through this link. */
  fromBrokerId?: number;
  /** A link listens on the address of the node it fronts, so a rule on that address cuts it. */
  listenHost: string;
  listenPort: number;
  upstreamHost: string;
  upstreamPort: number;
}

export interface NodeLayout {
  id: number;
  /** Where the node listens and its links wait: its own loopback address, or the shared host. */
  address: string;
  clientPort: number;
  internalPort: number;
  controllerPort: number;
  replicationPort: number;
  clientProxyPort: number;
  internalProxyPort: number;
  controllerProxyPort: number;
  replicationProxyPort: number;
}

export interface ClusterLayout {
  /** Toxiproxy's API (and, with shared addressing, everything). */
  host: string;
  /** Per-node addresses (harness/cluster/lab-addresses.ts), or one shared host (docker's host network). */
  addresses?: LabAddresses;
  toxiproxyPort: number;
  nodes: NodeLayout[];
  links: LinkSpec[];
}

export function portsNeeded(brokers: number): number {
  return 1 + brokers * 8 + brokers * brokers;
}

/** `per-node`: every node on its own address (the local provider); `shared`: all on 127.0.0.1. */
export type Addressing = 'per-node' | 'shared';

export function clusterLayout(brokers: number, basePort: number, addressing: Addressing = 'shared'): ClusterLayout {
  const host = '127.0.0.1';
  const addresses = addressing === 'per-node' ? labAddresses(basePort) : undefined;
  const addressOf = (id: number) => addresses?.node(id) ?? host;
  let next = basePort;
  const take = () => next++;
  const toxiproxyPort = take();
  const nodes: NodeLayout[] = [];
  for (let i = 1; i <= brokers; i++) {
    nodes.push({ id: i, address: addressOf(i), clientPort: take(), internalPort: take(), controllerPort: take(), clientProxyPort: take(), internalProxyPort: take(), controllerProxyPort: take(), replicationPort: take(), replicationProxyPort: take() });
  }
  const links: LinkSpec[] = [];
  const front = (node: NodeLayout, link: Omit<LinkSpec, 'brokerId' | 'listenHost' | 'upstreamHost'>) =>
    links.push({ ...link, brokerId: node.id, listenHost: node.address, upstreamHost: node.address });
  for (const node of nodes) {
    front(node, { name: `b${node.id}-client`, kind: 'client', listenPort: node.clientProxyPort, upstreamPort: node.clientPort });
    front(node, { name: `b${node.id}-internal`, kind: 'internal', listenPort: node.internalProxyPort, upstreamPort: node.internalPort });
    front(node, { name: `b${node.id}-controller`, kind: 'controller', listenPort: node.controllerProxyPort, upstreamPort: node.controllerPort });
    front(node, { name: `b${node.id}-replication`, kind: 'replication', listenPort: node.replicationProxyPort, upstreamPort: node.replicationPort });
  }
  for (const from of nodes) {
    for (const to of nodes) {
      front(to, { name: `b${to.id}-controller-from-b${from.id}`, kind: 'controller', fromBrokerId: from.id, listenPort: take(), upstreamPort: to.controllerPort });
    }
  }
  return { host, addresses, toxiproxyPort, nodes, links };
}

/** The links that carry traffic into or out of a broker: what `net.isolate` takes down. */
export function linksOfBroker(links: LinkSpec[], brokerId: number): LinkSpec[] {
  return links.filter(
    (link) => (link.brokerId === brokerId || link.fromBrokerId === brokerId) && !(link.kind === 'controller' && link.brokerId === link.fromBrokerId),
  );
}

/** `controller.quorum.voters` as seen from one node: every voter through this node's own links. */
export function quorumVotersFor(layout: ClusterLayout, fromBrokerId: number): string {
  return layout.links
    .filter((link) => link.kind === 'controller' && link.fromBrokerId === fromBrokerId)
    .map((link) => `${link.brokerId}@${link.listenHost}:${link.listenPort}`)
    .join(',');
}

/** Bootstrap servers through the REPLICATION links (MirrorMaker 2's way into a site). */
export function replicationBootstrap(links: LinkSpec[]): string[] {
  return links.filter((l) => l.kind === 'replication').map((l) => `${l.listenHost}:${l.listenPort}`);
}

/** What Toxiproxy is told for each link. */
export function toxiproxyLinkSpecs(layout: ClusterLayout): { name: string; listen: string; upstream: string }[] {
  return layout.links.map((l) => ({ name: l.name, listen: `${l.listenHost}:${l.listenPort}`, upstream: `${l.upstreamHost}:${l.upstreamPort}` }));
}
