/**
 * The listener and link layout of a cluster. Per node: CLIENT, INTERNAL and CONTROLLER
 * listeners on real ports; one Toxiproxy link in front of CLIENT and INTERNAL (brokers
 * advertise the link ports), and one CONTROLLER link per (source node, target node) pair,
 * because each node's `controller.quorum.voters` is its own: that makes the controller path
 * partitionable per pair, and isolating a node cuts its outbound controller traffic too.
 */
export type LinkKind = 'client' | 'internal' | 'controller';

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
  clientProxyPort: number;
  internalProxyPort: number;
}

export interface ClusterLayout {
  host: string;
  toxiproxyPort: number;
  nodes: NodeLayout[];
  links: LinkSpec[];
}

export function portsNeeded(brokers: number): number {
  return 1 + brokers * 5 + brokers * brokers;
}

export function clusterLayout(brokers: number, basePort: number, host = '127.0.0.1'): ClusterLayout {
  let next = basePort;
  const take = () => next++;
  const toxiproxyPort = take();
  const nodes: NodeLayout[] = [];
  for (let i = 1; i <= brokers; i++) {
    nodes.push({ id: i, clientPort: take(), internalPort: take(), controllerPort: take(), clientProxyPort: take(), internalProxyPort: take() });
  }
  const links: LinkSpec[] = [];
  for (const node of nodes) {
    links.push({ name: `b${node.id}-client`, kind: 'client', brokerId: node.id, listenPort: node.clientProxyPort, upstreamPort: node.clientPort });
    links.push({ name: `b${node.id}-internal`, kind: 'internal', brokerId: node.id, listenPort: node.internalProxyPort, upstreamPort: node.internalPort });
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
export function linksOfBroker(layout: ClusterLayout, brokerId: number): LinkSpec[] {
  return layout.links.filter(
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
