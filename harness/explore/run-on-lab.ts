/**
 * One run on a reused lab (or the user's cluster), as explore's attempts and capacity's steps
 * run: the lab is acquired, the scenario runs, and the run's topics are deleted once it is
 * judged (delete-run-topics.ts). An infrastructure error (a SUT that
 * did not start, a lab that stopped answering) is not a verdict: the lab is discarded and the
 * run goes once more, in `<runDir>-retry`.
 */
import { join } from 'node:path';
import type { ExternalClusterOptions } from '../cluster/external-provider.ts';
import { EXIT, isHarnessError } from '../errors.ts';
import { deleteRunTopics } from '../run/delete-run-topics.ts';
import type { RunResult } from '../run/run-result.ts';
import type { RunScenarioOptions } from '../run/run-options.ts';
import { runScenario } from '../run/run-scenario.ts';
import { ExternalLab } from './external-lab.ts';
import { ReusableLab, type ExploreLab, type ReusableLabOptions } from './reusable-lab.ts';

/** The user's cluster when given (`--provider external`), else one local lab kept up across runs. */
export function reusedLab(o: ReusableLabOptions & { external?: ExternalClusterOptions }): ExploreLab {
  return o.external ? new ExternalLab({ ...o.external, ...(o.onProgress ? { onProgress: o.onProgress } : {}) }) : new ReusableLab(o);
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
