import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../kafka/kafka-client.ts';
import { startTestCluster } from '../testing/lab.ts';
import { settleLab } from './lab-settle.ts';
import type { LocalCluster } from './local-provider.ts';

describe('settleLab on a real 3-broker lab', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startTestCluster('settle', { brokers: 3 });
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  const settle = (timeoutMs: number) => settleLab(createKafka(cluster.clientSettings('settle-test')), { brokers: 3, timeoutMs });

  it('settles on a quiet lab: every partition in sync, three probe transactions in a row within the bound', async () => {
    const lab = await settle(60_000);
    expect(lab.settled).toBe(true);
    expect(lab.underReplicated).toBe(0);
    expect(lab.partitions).toBeGreaterThanOrEqual(3);
    expect(lab.probeMs.slice(-3).every((ms) => ms <= lab.boundMs)).toBe(true);
  }, 90_000);

  it('does not call a lab with a stopped broker settled, and settles again once it is back and caught up', async () => {
    const broker = cluster.brokerProcess(3)!;
    await broker.stop();
    try {
      const down = await settle(8_000);
      expect(down.settled).toBe(false);
      expect(down.underReplicated).toBeGreaterThan(0);
      expect(down.waitedMs).toBeGreaterThanOrEqual(8_000);
    } finally {
      await broker.start();
    }
    const back = await settle(90_000);
    expect(back.settled).toBe(true);
    expect(back.underReplicated).toBe(0);
  }, 180_000);
});
