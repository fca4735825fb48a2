/**
 * Acceptance (issue 22, point 4), on a real 3-broker lab whose brokers each have a 128 MB disk
 * of their own: `disk.full` on a follower of an RF 3, min ISR 2 partition while an acks=all
 * producer writes without pause. Kafka halts the follower (its only log dir failed), the ISR
 * shrinks to the two others and the acks come again; heal frees the disk and starts the
 * broker, which rejoins the ISR; every acknowledged record is read back. Needs root (mount).
 */
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import { readTopic } from '../testing/read-topic.ts';
import { sleep, startTestCluster } from '../testing/lab.ts';
import { FaultInjector, type FaultRecord } from './fault-injector.ts';
import { checkFaultsAvailable } from './fault-registry.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

const TOPIC = 'disk-full-acks-all';
const asRoot = process.getuid?.() === 0;

/** Bounds the figures must meet (seen here: shrink ≈ 6 s after the fill, rejoin ≈ 6 s after heal). */
const SHRINK_WITHIN_MS = 20_000;
const REJOIN_WITHIN_MS = 60_000;

let cluster: LocalCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startTestCluster('disk-full', { brokers: 3, diskMb: 128 });
  kafka = createKafka(cluster.clientSettings('disk-full-test'));
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

async function partition0(admin: ReturnType<Kafka['admin']>) {
  return (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions.find((p) => p.partitionId === 0)!;
}

describe.skipIf(!asRoot)('disk.full on a follower (acks=all, RF 3, min ISR 2)', () => {
  it('producing goes on through the ISR shrink, the broker rejoins after heal, nothing acknowledged is lost', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }]);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 20 } });
    await producer.connect();
    const acked: { seq: number; at: number }[] = [];
    let failed = 0;
    let sending = true;
    const loop = (async () => {
      for (let seq = 0; sending; seq++) {
        try {
          await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: String(seq), value: `record-${seq}` }] });
          acked.push({ seq, at: Date.now() });
        } catch {
          failed++; // outcome unknown: may or may not be in the log, never counted as acknowledged
        }
      }
    })();

    const faults = new FaultInjector(cluster, new Random(22));
    const records: FaultRecord[] = [];
    faults.on((record) => void records.push(record));
    try {
      await sleep(3000);
      const before = await partition0(admin);
      expect(before.isr.sort()).toEqual([1, 2, 3]);

      const filledAt = Date.now();
      const faultId = await faults.start('disk.full', { broker: 'follower', topic: TOPIC, partition: 0 });
      const target = records[0]!.target;
      const victim = Number(/^broker (\d+)/.exec(target)![1]);
      expect(victim).not.toBe(before.leader);
      expect(target).toMatch(/filled \d+\.\d MiB of 128\.0 MiB/);

      // The ISR drops the victim; then acks come again with it out.
      let shrunkAt: number | undefined;
      while (Date.now() - filledAt < SHRINK_WITHIN_MS) {
        const p = await partition0(admin).catch(() => undefined);
        if (p && !p.isr.includes(victim)) {
          shrunkAt = Date.now();
          break;
        }
        await sleep(200);
      }
      expect(shrunkAt, `ISR still holds broker ${victim} ${SHRINK_WITHIN_MS / 1000} s after the fill`).toBeDefined();
      await sleep(5000);
      const duringFault = acked.filter((a) => a.at > shrunkAt!).length;
      expect(duringFault).toBeGreaterThan(50);
      // The stall: the longest wait between two acks since the fill (acks=all waits for the victim until it leaves the ISR).
      const since = acked.filter((a) => a.at >= filledAt - 1000);
      const stallMs = Math.max(...since.slice(1).map((a, i) => a.at - since[i]!.at));
      expect(cluster.brokerProcess(victim)!.running).toBe(false);

      const healAt = Date.now();
      await faults.heal(faultId);
      let rejoinedAt: number | undefined;
      while (Date.now() - healAt < REJOIN_WITHIN_MS) {
        const p = await partition0(admin).catch(() => undefined);
        if (p && p.isr.includes(victim)) {
          rejoinedAt = Date.now();
          break;
        }
        await sleep(200);
      }
      expect(rejoinedAt, `broker ${victim} not back in the ISR ${REJOIN_WITHIN_MS / 1000} s after heal`).toBeDefined();
      await sleep(2000);
      sending = false;
      await loop;

      const read = await readTopic(kafka, TOPIC);
      const seen = new Set(read.map((r) => Number(r.key)));
      const missing = acked.filter((a) => !seen.has(a.seq)).map((a) => a.seq);
      expect(missing).toEqual([]);
      console.log(
        [
          `disk.full: ${target}`,
          `ISR shrink ${((shrunkAt! - filledAt) / 1000).toFixed(1)} s after the fill started; longest wait between two acks ${(stallMs / 1000).toFixed(1)} s`,
          `${duringFault} acks in the 5 s after the shrink; heal took ${((rejoinedAt! - healAt) / 1000).toFixed(1)} s to rejoin the ISR (broker start included)`,
          `records acked ${acked.length}, failed sends ${failed}, read back ${read.length}, acked missing ${missing.length}`,
        ].join('\n'),
      );
    } finally {
      sending = false;
      await loop.catch(() => undefined);
      await faults.healAll().catch(() => undefined);
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 240_000);
});

describe.skipIf(!asRoot)('disk.full on a lab started without broker disks', () => {
  it('is refused before a run starts, naming the option to set', async () => {
    const plain = await startTestCluster('disk-full-none', { brokers: 1, skipReadiness: true });
    try {
      const refusal = checkFaultsAvailable(plain, ['broker.kill', 'disk.full'], 'scenario x');
      await expect(refusal).rejects.toMatchObject({ code: 'FAULT_UNSUPPORTED' });
      await expect(refusal).rejects.toThrow("scenario x: disk.full is unavailable here: the lab was started without size-limited broker disks: set 'brokerDiskMb' in the scenario");
      await expect(new FaultInjector(plain, new Random(1)).start('disk.full', { broker: 1 })).rejects.toThrow(/unavailable here: the lab was started without/);
    } finally {
      await plain.stop();
    }
  }, 120_000);
});
