import type { TestProject } from 'vitest/node';
import { isOwnDockerEngineRunning, stopOwnDockerEngine, sweepStaleEngineMounts } from '../tools/docker-engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Whether our own dockerd was running before this test run began (then it is not the run's to stop). */
    ownDockerdRunningBefore: boolean;
  }
}

/** Notes whether our dockerd runs now; `teardown` stops it later only if it did not. */
export function guardOwnDockerd(): { runningBefore: boolean; teardown: () => Promise<boolean> } {
  const runningBefore = isOwnDockerEngineRunning();
  return { runningBefore, teardown: async () => !runningBefore && (await stopOwnDockerEngine()) };
}

/**
 * Vitest global setup of the integration project: the docker tests start our own dockerd
 * when none answers, and it outlives its process by design (later runs reuse its images). A
 * test run must not leave one behind (nor its mounts, which dockerd removes on SIGTERM), so
 * teardown stops it when this run started it; one that was running before is left alone.
 */
export default function setup(project: TestProject): () => Promise<void> {
  // What a dockerd killed with an earlier run (a CI job cancelled, a session ended) left mounted.
  sweepStaleEngineMounts((line) => process.stderr.write(`${line}\n`));
  const guard = guardOwnDockerd();
  project.provide('ownDockerdRunningBefore', guard.runningBefore);
  return async () => {
    if (await guard.teardown()) process.stderr.write('[docker] stopped the dockerd this test run started\n');
  };
}
