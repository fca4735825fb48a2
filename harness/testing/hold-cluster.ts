/**
 * A stand-in harness for the orphan test: starts a 1-broker lab with its schema registry, prints `READY <details>`,
 * then ends the way argv[2] says: `exit` (stops the lab and exits), `throw` (an uncaught
 * error while the lab runs) or `wait` (until the test signals or SIGKILLs it).
 */
import { endHeldLab } from './end-held-lab.ts';
import { startLocalCluster } from '../cluster/local-provider.ts';
import { startLabRegistry } from '../registry/lab-registry.ts';

const [mode = 'wait', runDir] = process.argv.slice(2);
const cluster = await startLocalCluster({ brokers: 1, runDir });
const registry = await startLabRegistry(cluster, `${runDir}/schema-registry`);
const pids = [...cluster.nodes.map((n) => n.process.pid), cluster.toxiproxyProcess.pid, registry.pid];
// Every listening socket, as host:port: the nodes and their links are on the nodes' own addresses.
const endpoints = [
  ...cluster.layout.links.map((l) => `${l.listenHost}:${l.listenPort}`),
  ...cluster.layout.nodes.flatMap((n) => [n.clientPort, n.internalPort, n.controllerPort].map((port) => `${n.address}:${port}`)),
  ...[cluster.layout.toxiproxyPort, ...registry.ports].map((port) => `127.0.0.1:${port}`),
];
process.stdout.write(`READY ${JSON.stringify({ pids, endpoints })}\n`);

await endHeldLab(mode, { stop: async () => (await registry.stop(), await cluster.stop()) });
