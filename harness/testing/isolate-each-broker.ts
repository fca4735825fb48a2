import type { StartedCluster } from '../cluster/started-cluster.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { Random } from '../random.ts';
import { sleep } from './lab.ts';

/**
 * Cuts each broker of the lab off in turn (`net.isolate`: every link) for `isolatedMs`, heals
 * it, then runs `afterHeal` with the broker's id and the heal time. Every fault is healed, also
 * when a step throws. What tests of clients riding out partitions share.
 */
export async function isolateEachBroker(cluster: StartedCluster, afterHeal: (broker: number, healedAt: number) => Promise<void>, isolatedMs = 8_000): Promise<void> {
  const injector = new FaultInjector(cluster, new Random(1));
  try {
    for (const { id } of cluster.brokers()) {
      await injector.start('net.isolate', { broker: id }, `isolate-${id}`);
      await sleep(isolatedMs);
      await injector.healAll();
      await afterHeal(id, Date.now());
    }
  } finally {
    await injector.healAll();
  }
}
