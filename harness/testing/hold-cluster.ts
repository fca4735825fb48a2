/**
 * A stand-in harness for the orphan test: starts a 1-broker lab with its schema registry (and,
 * where this machine allows them, a size-limited broker disk and a net.partition in force),
 * prints `READY <details>`,
 * then ends the way argv[2] says: `exit` (stops the lab and exits), `throw` (an uncaught
 * error while the lab runs) or `wait` (until the test signals or SIGKILLs it).
 */
import { endHeldLab } from './end-held-lab.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { faultType } from '../faults/fault-registry.ts';
import { Random } from '../random.ts';
import { limitedDiskUnavailable } from '../cluster/disk-probe.ts';
import { startLocalCluster } from '../cluster/local-provider.ts';
import { startLabRegistry } from '../registry/lab-registry.ts';

const [mode = 'wait', runDir] = process.argv.slice(2);
// Its disk (a tmpfs mount) and its partition (an nftables table) must go the way its processes go.
const disked = (await limitedDiskUnavailable()) === undefined;
const cluster = await startLocalCluster({ brokers: 1, runDir, ...(disked ? { diskMb: 32 } : {}) });
const registry = await startLabRegistry(cluster, `${runDir}/schema-registry`);
const partitioned = (await faultType('net.partition').unavailable?.(cluster)) === undefined;
if (partitioned) await new FaultInjector(cluster, new Random(1)).start('net.partition', { topology: 'isolate', node: 1 });
const pids = [...cluster.nodes.map((n) => n.process.pid), cluster.toxiproxyProcess.pid, registry.pid];
// Every listening socket, as host:port: the nodes and their links are on the nodes' own addresses.
const endpoints = [
  ...cluster.layout.links.map((l) => `${l.listenHost}:${l.listenPort}`),
  ...cluster.layout.nodes.flatMap((n) => [n.clientPort, n.internalPort, n.controllerPort].map((port) => `${n.address}:${port}`)),
  ...[cluster.layout.toxiproxyPort, ...registry.ports].map((port) => `127.0.0.1:${port}`),
];
const mounts = cluster.nodes.flatMap((n) => (n.disk ? [n.disk.path] : []));
process.stdout.write(`READY ${JSON.stringify({ pids, endpoints, partitioned, mounts })}\n`);

await endHeldLab(mode, { stop: async () => (await registry.stop(), await cluster.stop()) });
