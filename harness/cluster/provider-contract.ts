import { execFileSync } from 'node:child_process';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { FaultInjector } from '../faults/fault-injector.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import { eventually, sleep } from '../testing/lab.ts';
import type { StartedCluster } from './started-cluster.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

export interface ProviderUnderTest<C extends StartedCluster> {
  /** A 3-broker cluster of this provider. */
  start(): Promise<C>;
  /** The host pid of the Toxiproxy server, to tell its connections from any others. */
  toxiproxyPid(cluster: C): Promise<number | undefined>;
  /** Set when the provider cannot run here: every test is reported skipped with it. */
  skipReason?: string;
}

/**
 * What every broker-running provider must do (docs/cluster.md): one real 3-broker cluster
 * (KRaft, every path through Toxiproxy) for the whole suite, then the same checks whatever
 * runs the brokers — local JVMs or containers.
 */
export function describeProviderContract<C extends StartedCluster>(title: string, provider: ProviderUnderTest<C>): void {
  describe(title, () => {
    let cluster: C;
    let kafka: Kafka;
    let admin: Admin;
    let faults: FaultInjector;
    const labTest = (name: string, body: () => Promise<void>) =>
      it(name, async (context: TestContext) => {
        context.skip(provider.skipReason !== undefined, provider.skipReason);
        await body();
      });

    beforeAll(async () => {
      if (provider.skipReason !== undefined) return;
      cluster = await provider.start();
      kafka = createKafka(cluster.clientSettings('lab-test'));
      admin = kafka.admin();
      await admin.connect();
      faults = new FaultInjector(cluster, new Random(1));
    });

    afterAll(async () => {
      await faults?.healAll().catch(() => undefined);
      await admin?.disconnect().catch(() => undefined);
      await cluster?.stop();
    });

    async function leaderOf(topic: string, partition = 0): Promise<number> {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]!.partitions.find((p) => p.partitionId === partition)!.leader;
    }

    labTest('(d) shows clients only the proxy ports in metadata', async () => {
      const { brokers } = await admin.describeCluster();
      const proxyPorts = new Set(cluster.links().filter((l) => l.kind === 'client').map((l) => l.listenPort));
      const realPorts = new Set(cluster.links().map((l) => l.upstreamPort));
      expect(brokers).toHaveLength(3);
      for (const broker of brokers) {
        expect(broker.host).toMatch(/^127\.\d+\.\d+\.\d+$/);
        expect(proxyPorts.has(broker.port)).toBe(true);
        expect(realPorts.has(broker.port)).toBe(false);
      }
    });

    labTest('lets no process but Toxiproxy connect to a real listener port (no bypass)', async () => {
      const realPorts = [...new Set(cluster.links().map((l) => l.upstreamPort))];
      const toxiproxyPid = await provider.toxiproxyPid(cluster);
      expect(toxiproxyPid).toBeGreaterThan(0);
      const lines = execFileSync('ss', ['-tnpH', 'state', 'established']).toString().split('\n');
      const intoReal = lines.filter((line) => realPorts.some((p) => line.trim().split(/\s+/)[3]?.endsWith(`:${p}`)));
      expect(intoReal.length).toBeGreaterThan(0);
      const bypassing = intoReal.filter((line) => !line.includes(`pid=${toxiproxyPid},`));
      expect(bypassing).toEqual([]);
    });

    labTest('(a) loses no acknowledged record when the partition leader is killed mid-stream (RF=3, min ISR 2)', async () => {
      const topic = 'leader-kill';
      await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }]);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 } });
      await producer.connect();
      const acked: string[] = [];
      let killedLeader: number | undefined;
      let faultId: string | undefined;
      for (let i = 0; i < 600; i++) {
        if (i === 200) {
          killedLeader = await leaderOf(topic);
          faultId = await faults.start('broker.kill', { broker: 'leader', topic });
          expect(cluster.brokerProcess(killedLeader)!.running).toBe(false);
        }
        const batch = Array.from({ length: 5 }, (_, j) => ({ key: `k${(i * 5 + j) % 7}`, value: `v${i * 5 + j}` }));
        try {
          await producer.send({ topic, acks: -1, messages: batch });
          acked.push(...batch.map((m) => m.value));
        } catch {
          // Not acknowledged: it may or may not be in the log, and we do not count it.
        }
      }
      await producer.disconnect();
      expect(killedLeader).toBeDefined();
      expect(await leaderOf(topic)).not.toBe(killedLeader);
      await faults.heal(faultId!);
      expect(cluster.brokerProcess(killedLeader!)!.running).toBe(true);

      const seen = new Set<string>();
      const consumer = kafka.consumer({ groupId: 'leader-kill-check', maxWaitTimeInMs: 200 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
      await eventually(async () => acked.every((v) => seen.has(v)), 60_000);
      await consumer.disconnect();
      const lost = acked.filter((v) => !seen.has(v));
      expect(acked.length).toBeGreaterThan(2000);
      expect(lost).toEqual([]);
    });

    labTest("(b) a 200 ms latency fault on the leader's client link raises produce latency by at least 200 ms; heal removes it", async () => {
      const topic = 'latency';
      await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1, replicationFactor: 3 }]);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const sample = async () => {
        const times: number[] = [];
        for (let i = 0; i < 15; i++) {
          const t0 = performance.now();
          await producer.send({ topic, acks: -1, messages: [{ value: `m${i}` }] });
          times.push(performance.now() - t0);
        }
        return times.sort((a, b) => a - b);
      };
      const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
      await sample(); // warm the connection and metadata
      const before = await sample();
      const id = await faults.start('net.latency', { broker: 'leader', topic, links: ['client'], latency: 200 });
      const during = await sample();
      await faults.heal(id);
      const after = await sample();
      await producer.disconnect();
      // Every produce under the fault took at least the 200 ms (the fastest one included); the
      // median moved by 200 ms give or take the few ms of round-trip noise a median carries
      // (a strict ">= 200" on the medians failed once at 199.8).
      expect(during[0]!).toBeGreaterThanOrEqual(200);
      expect(median(during) - median(before)).toBeGreaterThanOrEqual(190);
      expect(median(after) - median(before)).toBeLessThan(100);
    });

    labTest('(c) isolating a broker fails its partitions over, and after heal it rejoins the ISR', async () => {
      const topic = 'isolation';
      await createTopicsWithLeaders(admin, [{ topic, numPartitions: 6, replicationFactor: 3 }]);
      const victim = await leaderOf(topic, 0);
      const id = await faults.start('net.isolate', { broker: victim });
      const failedOver = await eventually(async () => {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics[0]!.partitions.every((p) => p.leader !== victim && p.leader >= 0);
      }, 45_000);
      expect(failedOver).toBe(true);
      await faults.heal(id);
      const rejoined = await eventually(
        async () => {
          const meta = await admin.fetchTopicMetadata({ topics: [topic] });
          return meta.topics[0]!.partitions.every((p) => p.isr.includes(victim));
        },
        90_000,
        500,
      );
      expect(rejoined).toBe(true);
    });

    labTest('finds the active controller and pauses/resumes it', async () => {
      const controller = await cluster.activeControllerId!();
      expect(cluster.brokers().map((b) => b.id)).toContain(controller);
      const id = await faults.start('broker.pause', { broker: 'controller' });
      expect(faults.activeFaults()[0]?.target).toContain(`broker ${controller}`);
      await sleep(500);
      await faults.heal(id);
      expect(cluster.brokerProcess(controller!)!.running).toBe(true);
    });
  });
}
