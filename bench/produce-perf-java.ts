/**
 * Kafka's own producer benchmark (kafka-producer-perf-test, `org.apache.kafka.tools.ProducerPerformance`)
 * run from the same jars the lab's brokers use: the practical ceiling a producer on this
 * machine can reach against this cluster.
 */
import { join } from 'node:path';
import type { KafkaJars } from '../harness/tools/kafka-jars.ts';
import { runCommand } from '../harness/tools/run-command.ts';

export interface JavaPerfResult {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  line: string;
}

export interface JavaPerfOptions {
  jars: KafkaJars;
  bootstrap: string;
  topic: string;
  records: number;
  recordSize: number;
  /** Extra producer properties beyond bootstrap.servers and acks=all. */
  producerProps?: Record<string, string>;
  logDir: string;
}

/** The final summary line: "N records sent, R records/sec (M MB/sec), A ms avg latency, ...". */
const SUMMARY = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency/g;

export function parseJavaPerfSummary(output: string): JavaPerfResult | undefined {
  const matches = [...output.matchAll(SUMMARY)];
  const last = matches.at(-1);
  if (!last) return undefined;
  return { records: Number(last[1]), recordsPerSec: Number(last[2]), mbPerSec: Number(last[3]), avgLatencyMs: Number(last[4]), line: last[0] };
}

export async function runJavaProducerPerf(options: JavaPerfOptions): Promise<JavaPerfResult> {
  const props = { 'bootstrap.servers': options.bootstrap, acks: 'all', ...options.producerProps };
  const args = [
    '-Xms256m', '-Xmx512m',
    `-Dlog4j2.configurationFile=${options.jars.log4jConfig}`,
    `-Dstreamproof.log=${join(options.logDir, 'producer-perf.log')}`,
    '-cp', options.jars.classpath,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic', options.topic,
    '--num-records', String(options.records),
    '--record-size', String(options.recordSize),
    '--throughput', '-1',
    '--producer-props', ...Object.entries(props).map(([k, v]) => `${k}=${v}`),
  ];
  const output = await runCommand('java', args, { timeoutMs: 10 * 60_000 });
  const result = parseJavaPerfSummary(output);
  if (!result) throw new Error(`no summary line in ProducerPerformance output: ${output.slice(-500)}`);
  return result;
}
