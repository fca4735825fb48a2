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
export type LinkKind = 'client' | 'internal' | 'controller' | 'replication';

export interface LinkSpec {
  name: string;
  kind: LinkKind;
  /** The broker whose listener this link fronts. */
  brokerId: number;
  /** For controller links: the node that dials through this link. */
  fromBrokerId?: number;
  listenPort: number;
  upstreamPort: number;
}

export interface NodeLayout {
  id: number;
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
  host: string;
  toxiproxyPort: number;
  nodes: NodeLayout[];
  links: LinkSpec[];
}

export function portsNeeded(brokers: number): number {
  return 1 + brokers * 8 + brokers * brokers;
}

export function clusterLayout(brokers: number, basePort: number, host = '127.0.0.1'): ClusterLayout {
  let next = basePort;
  const take = () => next++;
  const toxiproxyPort = take();
  const nodes: NodeLayout[] = [];
  for (let i = 1; i <= brokers; i++) {
    nodes.push({ id: i, clientPort: take(), internalPort: take(), controllerPort: take(), clientProxyPort: take(), internalProxyPort: take(), controllerProxyPort: take(), replicationPort: take(), replicationProxyPort: take() });
  }
  const links: LinkSpec[] = [];
  for (const node of nodes) {
    links.push({ name: `b${node.id}-client`, kind: 'client', brokerId: node.id, listenPort: node.clientProxyPort, upstreamPort: node.clientPort });
    links.push({ name: `b${node.id}-internal`, kind: 'internal', brokerId: node.id, listenPort: node.internalProxyPort, upstreamPort: node.internalPort });
    links.push({ name: `b${node.id}-controller`, kind: 'controller', brokerId: node.id, listenPort: node.controllerProxyPort, upstreamPort: node.controllerPort });
    links.push({ name: `b${node.id}-replication`, kind: 'replication', brokerId: node.id, listenPort: node.replicationProxyPort, upstreamPort: node.replicationPort });
  }
  for (const from of nodes) {
    for (const to of nodes) {
      links.push({
        name: `b${to.id}-controller-from-b${from.id}`,
        kind: 'controller',
        brokerId: to.id,
        fromBrokerId: from.id,
        listenPort: take(),
        upstreamPort: to.controllerPort,
      });
    }
  }
  return { host, toxiproxyPort, nodes, links };
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
    .map((link) => `${link.brokerId}@${layout.host}:${link.listenPort}`)
    .join(',');
}

/** Bootstrap servers through the REPLICATION links (MirrorMaker 2's way into a site). */
export function replicationBootstrap(links: LinkSpec[], host = '127.0.0.1'): string[] {
  return links.filter((l) => l.kind === 'replication').map((l) => `${host}:${l.listenPort}`);
}
