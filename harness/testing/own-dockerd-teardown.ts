import { isOwnDockerEngineRunning, stopOwnDockerEngine } from '../tools/docker-engine.ts';

/**
 * Vitest global setup of the integration project: the docker tests start our own dockerd
 * when none answers, and it outlives its process by design (later runs reuse its images). A
 * test run must not leave one behind (nor its mounts, which dockerd removes on SIGTERM), so
 * teardown stops it when this run started it; one that was running before is left alone.
 */
export default function setup(): () => Promise<void> {
  const runningBefore = isOwnDockerEngineRunning();
  return async () => {
    if (runningBefore) return;
    if (await stopOwnDockerEngine()) process.stderr.write('[docker] stopped the dockerd this test run started\n');
  };
}
