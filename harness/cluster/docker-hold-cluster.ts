/**
 * A stand-in harness for the docker orphan test: starts a 1-broker docker lab, prints
 * `READY <details>`, then ends the way argv[2] says: `exit` (stops the lab and exits),
 * `throw` (an uncaught error while the lab runs) or `wait` (until signalled or SIGKILLed).
 */
import { endHeldLab } from '../testing/end-held-lab.ts';
import { startDockerCluster } from './docker-provider.ts';

const [mode = 'wait', runDir] = process.argv.slice(2);
const cluster = await startDockerCluster({ brokers: 1, runDir, skipReadiness: true });
const containers = [...cluster.nodes.map((n) => n.container.id), cluster.toxiproxyContainer.container.id];
const pids = [...cluster.nodes.map((n) => n.pid), await cluster.toxiproxyPid()];
const ports = cluster.layout.links.map((l) => l.listenPort).concat(cluster.layout.nodes.flatMap((n) => [n.clientPort, n.internalPort, n.controllerPort]), [cluster.layout.toxiproxyPort]);
process.stdout.write(`READY ${JSON.stringify({ containers, pids, ports, dockerHost: process.env.DOCKER_HOST })}\n`);

await endHeldLab(mode, cluster);
