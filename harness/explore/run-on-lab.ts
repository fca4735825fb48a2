/**
 * One run on a reused lab (or the user's cluster), as explore's attempts and capacity's steps
 * run: the lab is acquired, the scenario runs, and the run's topics are deleted once it is
 * judged. Kept, they piled up on the lab (about 25 partition replicas per broker and run, with
 * their data) and every run met a busier lab than the one before: in one capacity search the
 * same rate held at step 4 and missed its lag bound at step 14. The run's history holds
 * everything judged; its topics are not needed after it. An infrastructure error (a SUT that
 * did not start, a lab that stopped answering) is not a verdict: the lab is discarded and the
 * run goes once more, in `<runDir>-retry`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { ExternalClusterOptions } from '../cluster/external-provider.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { EXIT, isHarnessError } from '../errors.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import type { RunResult } from '../run/run-result.ts';
import { runScenario, type RunScenarioOptions } from '../run/run-scenario.ts';
import { ExternalLab } from './external-lab.ts';
import { ReusableLab, type ExploreLab, type ReusableLabOptions } from './reusable-lab.ts';

/** The user's cluster when given (`--provider external`), else one local lab kept up across runs. */
export function reusedLab(o: ReusableLabOptions & { external?: ExternalClusterOptions }): ExploreLab {
  return o.external ? new ExternalLab(o.external) : new ReusableLab(o);
}

export async function runOnLab(lab: ExploreLab, options: Omit<RunScenarioOptions, 'cluster'>, why: string, onLine: (line: string) => void): Promise<RunResult> {
  const once = async (runDir: string) => {
    const cluster = await lab.acquire();
    const result = await runScenario({ ...options, cluster, runDir });
    await deleteRunTopics(cluster, join(result.runDir, 'history.duckdb')).catch((error: unknown) => onLine(`[lab] the topics of ${result.runDir} were not deleted: ${(error as Error).message}`));
    return result;
  };
  try {
    return await once(options.runDir);
  } catch (error) {
    if (!isHarnessError(error) || error.exitCode !== EXIT.infrastructure) throw error;
    await lab.discard(`${why}: ${error.message}`);
    return once(`${options.runDir}-retry`);
  }
}

/** Deletes every topic named after the run's id (the SUT's declared ones and any it made); returns them. */
export async function deleteRunTopics(cluster: StartedCluster, historyPath: string, timeoutMs = 30_000): Promise<string[]> {
  const reader = await HistoryReader.open(historyPath);
  const runId = await reader.meta().then((m) => m['run.id'], () => undefined).finally(() => reader.close());
  if (typeof runId !== 'string' || runId === '') return [];
  const admin = createKafka(cluster.clientSettings('streamproof-lab-cleanup')).admin();
  await admin.connect();
  try {
    const own = (await admin.listTopics()).filter((t) => t.includes(runId));
    if (own.length === 0) return [];
    await admin.deleteTopics({ topics: own, timeout: timeoutMs });
    const deadline = Date.now() + timeoutMs;
    while ((await admin.listTopics()).some((t) => own.includes(t)) && Date.now() < deadline) await sleep(500);
    return own;
  } finally {
    await admin.disconnect();
  }
}
