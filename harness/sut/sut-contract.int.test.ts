import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { HarnessError } from '../errors.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { readTopic } from '../testing/read-topic.ts';
import { eventually, startTestCluster } from '../testing/lab.ts';
import { ensureKafkaJars } from '../tools/kafka-jars.ts';
import { defineSut } from './sut-config.ts';
import { SutGroup } from './sut-group.ts';

// The contract is language-agnostic: a shell pipeline of Kafka's console tools is a SUT the
// harness starts, reads, kills and restarts like any other.
let cluster: LocalCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startTestCluster('sut', { brokers: 1 });
  kafka = createKafka(cluster.clientSettings('sut-test'));
});
afterAll(async () => {
  await cluster?.stop();
});

function groupFor(config: ReturnType<typeof defineSut>, runId: string) {
  return new SutGroup({
    config,
    run: { runId, bootstrapServers: cluster.bootstrapServers(), topics: config.topics, groupId: `${config.name}-${runId}` },
    clientSettings: cluster.clientSettings('sut-test'),
    runDir: mkdtempSync(join(tmpdir(), 'streamproof-sut-')),
    replicationFactor: 1,
  });
}

describe('SUT contract', () => {
  it('runs a non-Node SUT (console tools in a shell) through the contract, and survives SIGKILL + restart', async () => {
    const jars = await ensureKafkaJars();
    const config = defineSut({
      name: 'shell',
      command: [join(import.meta.dirname, 'testing', 'console-tools-sut.sh')],
      env: { KAFKA_CLASSPATH: jars.classpath },
      topics: { input: [{ name: 'shell.in', partitions: 1 }], outputs: [{ name: 'shell.out', role: 'records' }] },
      readiness: { kind: 'group' },
      readinessTimeoutMs: 60_000,
    });
    const group = groupFor(config, 'r1');
    await group.start();
    try {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'shell.in', messages: [{ value: 'hello' }, { value: 'streamproof' }] });
      expect(await eventually(async () => (await readTopic(kafka, 'shell.out')).length >= 2, 30_000)).toBe(true);
      await group.instance(0).kill();
      expect(group.instance(0).running).toBe(false);
      await group.instance(0).start();
      await producer.send({ topic: 'shell.in', messages: [{ value: 'again' }] });
      await producer.disconnect();
      expect(await eventually(async () => (await readTopic(kafka, 'shell.out')).some((r) => r.value?.toString() === 'AGAIN'), 60_000)).toBe(true);
      const values = (await readTopic(kafka, 'shell.out')).map((r) => r.value!.toString());
      expect(values).toEqual(expect.arrayContaining(['HELLO', 'STREAMPROOF', 'AGAIN']));
    } finally {
      await group.stopAll();
    }
  });

  it('reports a SUT that exits immediately with one SUT_START_FAILED line naming its exit code', async () => {
    const config = defineSut({
      name: 'broken',
      command: 'echo "cannot find config file" >&2; exit 7',
      topics: { input: [{ name: 'broken.in', partitions: 1 }], outputs: [{ name: 'broken.out', role: 'records' }] },
      readiness: { kind: 'log', pattern: 'never' },
    });
    const error = (await groupFor(config, 'r2').start().catch((e: unknown) => e)) as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('SUT_START_FAILED');
    expect(error.exitCode).toBe(3);
    expect(error.toLine()).toMatch(/instance 0 exited with code 7 before it was ready: cannot find config file/);
    expect(error.toLine().split('\n')).toHaveLength(1);
  });
});
