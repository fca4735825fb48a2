import { join } from 'node:path';
import { startLocalCluster, type LocalCluster } from '../cluster/local-provider.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { createKafka } from '../kafka/kafka-client.ts';

/** Where explore's runs happen: a lab it starts and reuses, or the user's cluster (external-lab.ts). */
export interface ExploreLab {
  /** How long each lab start took, in ms (none for a cluster explore did not start). */
  readonly starts: number[];
  /** Why a lab was thrown away (and started or connected again). */
  readonly restarts: string[];
  /** A cluster that is safe to run on. */
  acquire(): Promise<StartedCluster>;
  /** After a run failed on it: the next `acquire` starts (or connects) anew. */
  discard(why: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ReusableLabOptions {
  brokers: number;
  /** Each lab start gets `<dir>/lab-<n>` for its logs and data. */
  dir: string;
  /** Size-limited broker disks (what `disk.full` fills), as the base scenario asks. */
  diskMb?: number;
  onProgress?: (line: string) => void;
}

/** Why a lab could not be reused, or `undefined` when it can. */
async function unsafeBecause(cluster: LocalCluster, brokers: number): Promise<string | undefined> {
  if (!cluster.toxiproxyProcess.isRunning) return 'toxiproxy is not running';
  const down = cluster.nodes.filter((n) => !n.process.isRunning).map((n) => n.id);
  if (down.length > 0) return `broker(s) ${down.join(', ')} not running`;
  // A run heals what it broke; these undo what a crashed heal may have left (both are no-ops otherwise).
  for (const node of cluster.nodes) node.process.resume();
  const links = await cluster.toxiproxy().list().catch(() => undefined);
  if (!links) return 'toxiproxy does not answer';
  if (links.some((l) => !l.enabled || l.toxics.length > 0)) await cluster.toxiproxy().reset();
  const admin = createKafka({ ...cluster.clientSettings('streamproof-explore-health'), connectionTimeoutMs: 3000, requestTimeoutMs: 5000, retries: 2 }).admin();
  try {
    await admin.connect();
    const described = await admin.describeCluster();
    if (described.brokers.length < brokers) return `only ${described.brokers.length} of ${brokers} brokers in the metadata`;
  } catch (error) {
    return `the cluster does not answer: ${(error as Error).message}`;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return undefined;
}

/**
 * One lab for many runs. Reuse is safe because every run has its own topics and consumer
 * groups (runScenario prefixes them per run) and starts its own SUT; before each run the lab
 * is checked (processes up, links clean, every broker in the metadata) and started afresh if not.
 */
export class ReusableLab implements ExploreLab {
  private current: LocalCluster | undefined;
  /** How long each lab start took, in ms. */
  readonly starts: number[] = [];
  /** Why a lab was thrown away and started again. */
  readonly restarts: string[] = [];

  constructor(private readonly options: ReusableLabOptions) {}

  /** A lab that is safe to run on: the current one, or a new one. */
  async acquire(): Promise<LocalCluster> {
    if (this.current) {
      const why = await unsafeBecause(this.current, this.options.brokers);
      if (why === undefined) return this.current;
      this.restarts.push(why);
      this.options.onProgress?.(`[explore] lab not reusable (${why}): starting a new one`);
      await this.current.stop();
      this.current = undefined;
    }
    const t0 = performance.now();
    this.current = await startLocalCluster({ brokers: this.options.brokers, diskMb: this.options.diskMb, runDir: join(this.options.dir, `lab-${this.starts.length + 1}`), onProgress: this.options.onProgress });
    this.starts.push(performance.now() - t0);
    return this.current;
  }

  /** Throws the current lab away (after a run failed on it): the next `acquire` starts a new one. */
  async discard(why: string): Promise<void> {
    if (!this.current) return;
    this.restarts.push(why);
    await this.current.stop();
    this.current = undefined;
  }

  async stop(): Promise<void> {
    await this.current?.stop();
    this.current = undefined;
  }
}
