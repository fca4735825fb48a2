import { describe, expect, it } from 'vitest';
import { clusterLayout, linksOfBroker, portsNeeded, quorumVotersFor, replicationBootstrap } from './cluster-layout.ts';
import { kafkaNodeProperties } from './kafka-config.ts';

describe('cluster layout', () => {
  const layout = clusterLayout(3, 20_000);

  it('uses exactly the ports it reserves, each once', () => {
    const ports = [layout.toxiproxyPort, ...layout.nodes.flatMap((n) => [n.clientPort, n.internalPort, n.controllerPort, n.replicationPort]), ...layout.links.map((l) => l.listenPort)];
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.min(...ports)).toBe(20_000);
    expect(Math.max(...ports)).toBe(20_000 + portsNeeded(3) - 1);
  });

  it('puts a link in front of every listener, plus one controller link per node pair', () => {
    expect(layout.links).toHaveLength(4 * 3 + 3 * 3);
    for (const node of layout.nodes) {
      for (const port of [node.clientPort, node.internalPort, node.controllerPort]) {
        expect(layout.links.some((l) => l.upstreamPort === port)).toBe(true);
      }
    }
  });

  it('gives each node its own view of the quorum, through its own links', () => {
    expect(quorumVotersFor(layout, 1)).not.toBe(quorumVotersFor(layout, 2));
    const voters = quorumVotersFor(layout, 2).split(',');
    expect(voters.map((v) => v.split('@')[0])).toEqual(['1', '2', '3']);
    for (const voter of voters) {
      const port = Number(voter.split(':')[1]);
      expect(layout.links.find((l) => l.listenPort === port)?.fromBrokerId).toBe(2);
    }
  });

  it('isolates a broker by every link into or out of it, but not the others\' links among themselves', () => {
    const names = linksOfBroker(layout.links, 2).map((l) => l.name).sort();
    expect(names).toEqual(['b1-controller-from-b2', 'b2-client', 'b2-controller', 'b2-controller-from-b1', 'b2-controller-from-b3', 'b2-internal', 'b2-replication', 'b3-controller-from-b2'].sort());
  });

  it('advertises only proxy ports and sizes replication to the cluster', () => {
    const node = layout.nodes[0]!;
    const props = kafkaNodeProperties({ layout, node, logDir: '/tmp/x' });
    const advertised = props.match(/^advertised\.listeners=(.*)$/m)![1]!;
    expect(advertised).toContain(`:${node.clientProxyPort}`);
    expect(advertised).toContain(`:${node.internalProxyPort}`);
    expect(advertised).toContain(`:${node.controllerProxyPort}`);
    expect(advertised).toContain(`REPLICATION://127.0.0.1:${node.replicationProxyPort}`);
    expect(advertised).not.toContain(`:${node.clientPort}`);
    expect(props).toMatch(/^min\.insync\.replicas=2$/m);
    expect(props).toMatch(/^offsets\.topic\.replication\.factor=3$/m);
    const single = clusterLayout(1, 21_000);
    expect(kafkaNodeProperties({ layout: single, node: single.nodes[0]!, logDir: '/tmp/y' })).toMatch(/^min\.insync\.replicas=1$/m);
  });

  it('gives MirrorMaker 2 its own bootstrap through the replication links', () => {
    expect(replicationBootstrap(layout.links)).toEqual(layout.nodes.map((n) => `127.0.0.1:${n.replicationProxyPort}`));
  });

  it('puts every node and the links in front of it on the node\'s own address (per-node addressing)', () => {
    const own = clusterLayout(3, 25_700, 'per-node');
    expect(own.nodes.map((n) => n.address)).toEqual(['127.100.100.11', '127.100.100.12', '127.100.100.13']);
    for (const link of own.links) {
      const address = own.nodes.find((n) => n.id === link.brokerId)!.address;
      expect([link.listenHost, link.upstreamHost]).toEqual([address, address]);
    }
    expect(quorumVotersFor(own, 1).split(',').map((v) => v.split('@')[1]!.split(':')[0])).toEqual(own.nodes.map((n) => n.address));
    const props = kafkaNodeProperties({ layout: own, node: own.nodes[1]!, logDir: '/tmp/z' });
    expect(props).toMatch(/^listeners=CLIENT:\/\/127\.100\.100\.12:/m);
    expect(props).toMatch(/^advertised\.listeners=CLIENT:\/\/127\.100\.100\.12:/m);
    expect(own.host).toBe('127.0.0.1'); // Toxiproxy's API, where the block's first port is held
  });
});
