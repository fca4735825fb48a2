/**
 * A stand-in harness for the disk orphan test: starts a 1-broker lab whose log dir is on a
 * size-limited disk of its own, prints `READY <details>` (pids, ports, mount points), then ends
 * the way argv[2] says (harness/testing/end-held-lab.ts).
 */
import { endHeldLab } from './end-held-lab.ts';
import { startLocalCluster } from '../cluster/local-provider.ts';

const [mode = 'wait', runDir] = process.argv.slice(2);
const cluster = await startLocalCluster({ brokers: 1, runDir, diskMb: 32 });
const pids = [...cluster.nodes.map((n) => n.process.pid), cluster.toxiproxyProcess.pid];
const ports = cluster.layout.links.map((l) => l.listenPort).concat(cluster.layout.nodes.flatMap((n) => [n.clientPort, n.internalPort, n.controllerPort]), [cluster.layout.toxiproxyPort]);
const mounts = cluster.nodes.map((n) => n.disk!.path);
process.stdout.write(`READY ${JSON.stringify({ pids, ports, mounts })}\n`);

await endHeldLab(mode, cluster);
