/**
 * `npm run bench:cluster`: median time until a lab is *usable* (1 and 3 brokers), and in
 * the same run the floor: a bare single Kafka JVM (no proxies, no readiness checks) formatted,
 * started and accepting one produce. Prints the 3-broker/floor ratio (target <= 2), and the
 * CPU-seconds the Kafka JVMs burned to get there (on 2 cores, three JVMs share what one had),
 * and the bound that CPU alone puts on the 3-broker time: all its processes' CPU over the cores.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareNodeProperties, kafkaJvmOptions } from '../harness/cluster/kafka-config.ts';
import { startLocalCluster } from '../harness/cluster/local-provider.ts';
import { ManagedProcess } from '../harness/cluster/managed-process.ts';
import { allocatePortBlock } from '../harness/cluster/ports.ts';
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { ensureKafkaJars, type KafkaJars } from '../harness/tools/kafka-jars.ts';
import { ensureToxiproxy } from '../harness/tools/toxiproxy-binary.ts';
import { runCommand } from '../harness/tools/run-command.ts';
import { processCpuSeconds, reapedChildrenCpuSeconds } from './proc-cpu.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Sample {
  seconds: number;
  /** CPU-seconds of each Kafka JVM (for the floor: the format tool's and the broker's). */
  jvmCpu: number[];
  /** CPU-seconds of everything else the start needed: Toxiproxy and this harness process. */
  otherCpu: number;
}

/** CPU-seconds this process has used so far (all its threads). */
const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function labReady(brokers: number): Promise<Sample> {
  const t0 = performance.now();
  const cpu0 = ownCpu();
  const cluster = await startLocalCluster({ brokers, runDir: mkdtempSync(join(tmpdir(), `bench-lab${brokers}-`)) });
  const seconds = (performance.now() - t0) / 1000;
  const jvmCpu = cluster.nodes.map((n) => processCpuSeconds(n.process.pid) ?? NaN);
  const otherCpu = ownCpu() - cpu0 + (processCpuSeconds(cluster.toxiproxyProcess.pid) ?? NaN);
  await cluster.stop();
  return { seconds, jvmCpu, otherCpu };
}

/** The floor: what any harness must pay to get one Kafka JVM to take a write. */
async function bareFloor(jars: KafkaJars): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bare-'));
  const port = await allocatePortBlock(2);
  const props = join(dir, 'server.properties');
  writeFileSync(props, bareNodeProperties(port, join(dir, 'data')));
  const t0 = performance.now();
  const own0 = ownCpu();
  const cpu0 = reapedChildrenCpuSeconds() ?? NaN;
  const jvm = kafkaJvmOptions(jars, join(dir, 'server.log'));
  await runCommand('java', [...jvm, '-cp', jars.classpath, 'kafka.tools.StorageTool', 'format', '-t', 'bUlK2f4ZTm2WmUQzNs3g3A', '-c', props]);
  const formatCpu = (reapedChildrenCpuSeconds() ?? NaN) - cpu0;
  const broker = ManagedProcess.start({ name: 'bare-kafka', command: 'java', args: [...jvm, '-cp', jars.classpath, 'kafka.Kafka', props], logFile: join(dir, 'stdout.log'), marker: props });
  try {
    const producer = createKafka({ brokers: [`127.0.0.1:${port}`], retries: 0, connectionTimeoutMs: 500 }).producer();
    for (;;) {
      try {
        await producer.connect();
        await producer.send({ topic: 'floor', acks: 1, messages: [{ value: 'x' }] });
        break;
      } catch {
        await producer.disconnect().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const brokerCpu = processCpuSeconds(broker.pid) ?? NaN;
    await producer.disconnect();
    return { seconds, jvmCpu: [formatCpu, brokerCpu], otherCpu: ownCpu() - own0 };
  } finally {
    await broker.kill();
  }
}

const jars = await ensureKafkaJars();
await ensureToxiproxy();
const results: Record<'floor' | 'lab1' | 'lab3', Sample[]> = { floor: [], lab1: [], lab3: [] };
const s = (x: Sample | undefined) => `${x!.seconds.toFixed(2)}s`;
for (let i = 0; i < runs; i++) {
  // Interleaved so that drift in machine load hits all three alike.
  results.floor.push(await bareFloor(jars));
  results.lab1.push(await labReady(1));
  results.lab3.push(await labReady(3));
  console.log(`run ${i + 1}/${runs}: floor ${s(results.floor.at(-1))}, 1 broker ${s(results.lab1.at(-1))}, 3 brokers ${s(results.lab3.at(-1))}`);
}
const seconds = (k: keyof typeof results) => median(results[k].map((x) => x.seconds));
const cpu = (k: keyof typeof results, i: number) => median(results[k].map((x) => x.jvmCpu[i]!)).toFixed(2);
const floor = seconds('floor');
console.log(`\nKafka ${jars.version}, ${runs} runs, medians:`);
console.log(`  bare single Kafka JVM accepts a produce (floor): ${floor.toFixed(2)}s`);
console.log(`  1-broker lab usable (proxied, readiness checked): ${seconds('lab1').toFixed(2)}s  ratio ${(seconds('lab1') / floor).toFixed(2)}x`);
console.log(`  3-broker lab usable (proxied, readiness checked): ${seconds('lab3').toFixed(2)}s  ratio ${(seconds('lab3') / floor).toFixed(2)}x  (target <= 2.00x)`);
console.log(`\nCPU-seconds of the Kafka JVMs (median): floor format ${cpu('floor', 0)} + broker ${cpu('floor', 1)}; 1-broker lab ${cpu('lab1', 0)}; 3-broker lab ${[0, 1, 2].map((i) => cpu('lab3', i)).join(' + ')}`);
const total = (k: keyof typeof results) => median(results[k].map((x) => x.jvmCpu.reduce((a, b) => a + b, 0) + x.otherCpu));
const cores = availableParallelism();
console.log(`CPU-seconds of everything (JVMs, Toxiproxy, this harness; median): floor ${total('floor').toFixed(2)}, 3-broker lab ${total('lab3').toFixed(2)}`);
console.log(
  `CPU bound: on ${cores} cores the 3-broker lab's ${total('lab3').toFixed(2)} CPU-s take at least ${(total('lab3') / cores).toFixed(2)}s, ` +
    `${(total('lab3') / cores / floor).toFixed(2)}x the floor, before any election or coordinator wait`,
);
console.log(`The floor's JVMs: ${jvmNote(jars)}`);
console.log(`The lab's nodes: the same options, storage copied from a template formatted once by StorageTool (no format JVM per start).`);

function jvmNote(j: KafkaJars): string {
  const options = kafkaJvmOptions(j, 'x').filter((o) => !o.startsWith('-D') && !o.startsWith('-Xlog'));
  return options.map((o) => (o.startsWith('-XX:SharedArchiveFile=') ? '-XX:SharedArchiveFile=<class-data-sharing archive built at install>' : o)).join(' ');
}
