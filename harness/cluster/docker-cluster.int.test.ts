import { tempRunDir } from '../testing/lab.ts';
import { probeDockerLab } from './docker-lab-probe.ts';
import { startDockerCluster, type DockerCluster } from './docker-provider.ts';
import { describeProviderContract } from './provider-contract.ts';

// The provider contract (provider-contract.ts) on containers: skipped, with the reason, when
// this machine has no usable engine or no images (npm run images:build).
const lab = await probeDockerLab();
// The default reporter lists no skipped test by name, so the reason is printed as well.
console.warn(lab.ready ? `[docker lab] ${lab.detail}` : `[docker lab] SKIPPED: ${lab.reason}`);

describeProviderContract<DockerCluster>('docker 3-broker lab', {
  skipReason: lab.ready ? undefined : lab.reason,
  start: () =>
    startDockerCluster({
      brokers: 3,
      runDir: tempRunDir('docker3'),
      onProgress: process.env.STREAMPROOF_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : undefined,
    }),
  toxiproxyPid: (cluster) => cluster.toxiproxyPid(),
});
