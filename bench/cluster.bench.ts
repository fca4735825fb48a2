/**
 * `npm run bench:cluster`: median time until a lab is *usable* (1 and 3 brokers), and in
 * the same run the floor: a bare single Kafka JVM (no proxies, no readiness checks) formatted,
 * started and accepting one produce. Prints the 3-broker/floor ratio (target <= 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareNodeProperties, kafkaJvmOptions } from '../harness/cluster/kafka-config.ts';
import { startLocalCluster } from '../harness/cluster/local-provider.ts';
import { ManagedProcess } from '../harness/cluster/managed-process.ts';
import { allocatePortBlock } from '../harness/cluster/ports.ts';
import { createKafka } from '../harness/kafka/kafka-client.ts';
import { ensureKafkaJars, type KafkaJars } from '../harness/tools/kafka-jars.ts';
import { ensureToxiproxy } from '../harness/tools/toxiproxy-binary.ts';
import { runCommand } from '../harness/tools/run-command.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function labReady(brokers: number): Promise<number> {
  const t0 = performance.now();
  const cluster = await startLocalCluster({ brokers, runDir: mkdtempSync(join(tmpdir(), `bench-lab${brokers}-`)) });
  const seconds = (performance.now() - t0) / 1000;
  await cluster.stop();
  return seconds;
}

/** The floor: what any harness must pay to get one Kafka JVM to take a write. */
async function bareFloor(jars: KafkaJars): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bare-'));
  const port = await allocatePortBlock(2);
  const props = join(dir, 'server.properties');
  writeFileSync(props, bareNodeProperties(port, join(dir, 'data')));
  const t0 = performance.now();
  const jvm = kafkaJvmOptions(jars, join(dir, 'server.log'));
  await runCommand('java', [...jvm, '-cp', jars.classpath, 'kafka.tools.StorageTool', 'format', '-t', 'bUlK2f4ZTm2WmUQzNs3g3A', '-c', props]);
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
    await producer.disconnect();
    return seconds;
  } finally {
    await broker.kill();
  }
}

const jars = await ensureKafkaJars();
await ensureToxiproxy();
const results: Record<string, number[]> = { floor: [], lab1: [], lab3: [] };
for (let i = 0; i < runs; i++) {
  // Interleaved so that drift in machine load hits all three alike.
  results.floor!.push(await bareFloor(jars));
  results.lab1!.push(await labReady(1));
  results.lab3!.push(await labReady(3));
  console.log(`run ${i + 1}/${runs}: floor ${results.floor!.at(-1)!.toFixed(2)}s, 1 broker ${results.lab1!.at(-1)!.toFixed(2)}s, 3 brokers ${results.lab3!.at(-1)!.toFixed(2)}s`);
}
const floor = median(results.floor!);
console.log(`\nKafka ${jars.version}, ${runs} runs, medians:`);
console.log(`  bare single Kafka JVM accepts a produce (floor): ${floor.toFixed(2)}s`);
console.log(`  1-broker lab usable (proxied, readiness checked): ${median(results.lab1!).toFixed(2)}s  ratio ${(median(results.lab1!) / floor).toFixed(2)}x`);
console.log(`  3-broker lab usable (proxied, readiness checked): ${median(results.lab3!).toFixed(2)}s  ratio ${(median(results.lab3!) / floor).toFixed(2)}x  (target <= 2.00x)`);
