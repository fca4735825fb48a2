import { connect } from 'node:net';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import { eventually, sleep, startTestCluster } from '../testing/lab.ts';
import { FaultInjector } from './fault-injector.ts';
import { faultType } from './fault-registry.ts';
import { activeDropRules } from './nft-rules.ts';

/** Whether a TCP connect from `from` to host:port completes within 1.5 s (a dropped SYN never does). */
function reaches(from: string, host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, localAddress: from });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// A real 3-node lab, each node on its own address; the partitions are real nftables rules.
describe('net.partition on a real lab', () => {
  let cluster: LocalCluster;
  let admin: Admin;
  let faults: FaultInjector;
  let unavailable: string | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster('partition');
    unavailable = await faultType('net.partition').unavailable!(cluster);
    admin = createKafka(cluster.clientSettings('partition-test')).admin();
    await admin.connect();
    faults = new FaultInjector(cluster, new Random(5));
  });

  afterAll(async () => {
    await faults?.healAll().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await cluster?.stop();
  });

  const node = (id: number) => cluster.layout.nodes.find((n) => n.id === id)!;

  it('is available here (root, nftables, the source-address shim)', () => {
    expect(unavailable).toBeUndefined();
  });

  it('cuts exactly the isolated node: b1 cannot reach b2, b1 still reaches b3, the harness reaches all; heal restores', async () => {
    const [b1, b2, b3] = [node(1), node(2), node(3)];
    expect(await reaches(b1.address, b2.address, b2.clientProxyPort)).toBe(true);
    const id = await faults.start('net.partition', { topology: 'isolate', node: 2 });
    expect(activeDropRules()).toBeGreaterThan(0);
    expect(await reaches(b1.address, b2.address, b2.clientProxyPort)).toBe(false);
    expect(await reaches(b2.address, b3.address, b3.internalProxyPort)).toBe(false);
    expect(await reaches(b1.address, b3.address, b3.internalProxyPort)).toBe(true);
    expect(await reaches(cluster.addressing().addresses.harness, b2.address, b2.clientProxyPort)).toBe(true);
    await faults.heal(id);
    expect(activeDropRules()).toBe(0);
    expect(await reaches(b1.address, b2.address, b2.clientProxyPort)).toBe(true);
  });

  it('isolating the active controller makes the others elect a new one, and the old one follows it after heal', async () => {
    const before = (await cluster.activeControllerId())!;
    const id = await faults.start('net.partition', { topology: 'isolate', node: 'controller' });
    expect(await eventually(async () => ((await cluster.activeControllerId()) ?? before) !== before, 20_000)).toBe(true);
    const elected = (await cluster.activeControllerId())!;
    const epochOf = async () => (await cluster.controllerElections()).filter((e) => e.leader === elected).at(-1);
    // While cut off, the old leader cannot hear of the new epoch.
    await sleep(3000);
    expect((await epochOf())!.seenBy).not.toContain(before);
    await faults.heal(id);
    // Back together: every node knows the new leader's epoch (the old leader renounces).
    expect(await eventually(async () => ((await epochOf())?.seenBy.length ?? 0) === 3, 30_000)).toBe(true);
    const elections = await cluster.controllerElections();
    const leadersPerEpoch = new Map<number, Set<number>>();
    for (const e of elections) if (e.leader !== undefined) leadersPerEpoch.set(e.epoch, (leadersPerEpoch.get(e.epoch) ?? new Set()).add(e.leader));
    expect([...leadersPerEpoch.values()].every((leaders) => leaders.size === 1)).toBe(true);
    expect(await eventually(async () => (await admin.describeCluster()).brokers.length === 3, 30_000)).toBe(true);
  });
});
