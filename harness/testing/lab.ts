import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCluster, type LocalCluster, type LocalClusterOptions } from '../cluster/local-provider.ts';

/** A throwaway run folder for one test file's cluster. */
export function tempRunDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `streamproof-${label}-`));
}

/** Starts a local cluster for a test file; progress goes to stderr when STREAMPROOF_TEST_VERBOSE is set. */
export function startTestCluster(label: string, options: LocalClusterOptions = {}): Promise<LocalCluster> {
  return startLocalCluster({
    runDir: tempRunDir(label),
    onProgress: process.env.STREAMPROOF_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : undefined,
    ...options,
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true or the time is up; returns whether it succeeded. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return true;
    await sleep(intervalMs);
  }
  return false;
}
