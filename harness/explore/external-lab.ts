import { connectExternalCluster, healLeftovers, type ExternalClusterOptions } from '../cluster/external-provider.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { ExploreLab } from './reusable-lab.ts';

/**
 * The user's cluster as explore's lab (`--provider external`): connected, never started or
 * stopped. Runs are safe to share it for the reason a reused lab is (each run has its own
 * topics, groups and SUT, and heals the faults it started); what the fault mix can do there
 * (no process faults; network faults only through a Toxiproxy) is decided by `availableMix`.
 * Before each run the Toxiproxy's links are healed of what a stopped run may have left.
 */
export class ExternalLab implements ExploreLab {
  readonly starts: number[] = [];
  readonly restarts: string[] = [];
  private current: StartedCluster | undefined;

  constructor(private readonly options: ExternalClusterOptions) {}

  async acquire(): Promise<StartedCluster> {
    if (this.current === undefined) this.current = await connectExternalCluster(this.options);
    else {
      const toxiproxy = this.current.toxiproxy();
      if (toxiproxy) await healLeftovers(toxiproxy, this.options.onProgress);
    }
    return this.current;
  }

  async discard(why: string): Promise<void> {
    this.restarts.push(why);
    await this.stop(); // connects again (and checks the cluster answers) on the next acquire
  }

  async stop(): Promise<void> {
    await this.current?.stop();
    this.current = undefined;
  }
}
