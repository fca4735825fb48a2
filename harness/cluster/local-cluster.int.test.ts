import { startTestCluster } from '../testing/lab.ts';
import type { LocalCluster } from './local-provider.ts';
import { describeProviderContract } from './provider-contract.ts';

// The provider contract (provider-contract.ts) on JVM processes; docker-cluster.int.test.ts runs it on containers.
describeProviderContract<LocalCluster>('local 3-broker lab', {
  start: () => startTestCluster('lab3', { brokers: 3 }),
  toxiproxyPid: async (cluster) => cluster.toxiproxyProcess.pid,
});
