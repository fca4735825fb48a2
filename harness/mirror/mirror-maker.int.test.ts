import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replicationBootstrap } from '../cluster/cluster-layout.ts';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { eventually, startTestCluster, tempRunDir } from '../testing/lab.ts';
import { MirrorMaker } from './mirror-maker.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

/** Two one-broker labs and MirrorMaker 2 between them, every link through each lab's Toxiproxy. */
describe('MirrorMaker 2 from a primary lab to a DR lab', () => {
  let primary: LocalCluster;
  let dr: LocalCluster;
  let mm: MirrorMaker | undefined;

  beforeAll(async () => {
    primary = await startTestCluster('mm-primary', { brokers: 1 });
    dr = await startTestCluster('mm-dr', { brokers: 1 });
  }, 240_000);

  afterAll(async () => {
    await mm?.stop();
    await primary?.stop();
    await dr?.stop();
  });

  it('replicates a topic record for record and syncs a group offset committed at its head, then stops with no process left', async () => {
    const source = createKafka(primary.clientSettings('mm-test'));
    const admin = source.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic: 'orders', numPartitions: 2, replicationFactor: 1 }]);
    const producer = source.producer();
    await producer.connect();
    await producer.send({ topic: 'orders', messages: Array.from({ length: 100 }, (_, i) => ({ key: `k${i % 7}`, value: `order-${i}` })) });
    await producer.disconnect();
    const ends = await admin.fetchTopicOffsets('orders');
    await admin.setOffsets({ groupId: 'app', topic: 'orders', partitions: ends.map((e) => ({ partition: e.partition, offset: e.offset })) });
    await admin.disconnect();

    // Through the replication links, keeping topic names (the failover drill's setup).
    mm = await MirrorMaker.start({
      source: { alias: 'primary', bootstrapServers: replicationBootstrap(primary.links()) },
      target: { alias: 'dr', bootstrapServers: replicationBootstrap(dr.links()) },
      topics: 'orders',
      identityTopics: true,
      groups: 'app',
      dir: tempRunDir('mm'),
    });
    const pid = mm.pid!;

    const target = createKafka(dr.clientSettings('mm-test')).admin();
    await target.connect();
    try {
      const copied = async () => (await target.fetchTopicOffsets('orders')).reduce((n, p) => n + Number(p.high), 0);
      expect(await eventually(async () => (await copied()) === 100, 90_000, 500), 'orders holds the 100 records on the DR lab').toBe(true);
      const synced = async () => {
        const [offsets] = await target.fetchOffsets({ groupId: 'app', topics: ['orders'] });
        return offsets!.partitions.map((p) => Number(p.offset)).sort((a, b) => a - b).join(',') === ends.map((e) => Number(e.offset)).sort((a, b) => a - b).join(',');
      };
      expect(await eventually(synced, 60_000, 500), "group 'app' has its head offsets on the DR lab").toBe(true);
    } finally {
      await target.disconnect();
    }

    await mm.stop();
    expect(mm.isRunning).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  }, 300_000);
});
