/**
 * What a failover drill does to a site: lose it whole (every broker SIGKILLed, or every link into
 * it disabled), bring it back for the final scan, and cut or restore MirrorMaker 2's way into it
 * (the REPLICATION links: clients keep theirs).
 */
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import type { SiteFailMode } from '../../scenarios/model/fault-kinds.ts';

export class SiteControl {
  constructor(
    readonly name: string,
    private readonly cluster: StartedCluster,
  ) {}

  private toxiproxy() {
    const toxiproxy = this.cluster.toxiproxy();
    if (!toxiproxy) throw new HarnessError('FAULT_UNSUPPORTED', `site ${this.name}: its links are not controllable (no Toxiproxy)`);
    return toxiproxy;
  }

  /** Loses the site; returns what was hit, for the history. */
  async fail(mode: SiteFailMode): Promise<string> {
    if (mode === 'isolate') {
      const links = this.cluster.links();
      await Promise.all(links.map((l) => this.toxiproxy().setEnabled(l.name, false)));
      return `${this.name}: ${links.length} links disabled`;
    }
    const ids = this.cluster.brokers().map((b) => b.id);
    const controls = ids.map((id) => this.cluster.brokerProcess(id));
    if (controls.some((c) => c === undefined)) throw new HarnessError('FAULT_UNSUPPORTED', `site ${this.name}: the ${this.cluster.provider} provider cannot kill its brokers (use mode: 'isolate')`);
    await Promise.all(controls.map((c) => c!.kill()));
    return `${this.name}: brokers ${ids.join(', ')} killed`;
  }

  /** Brings a lost site back (its data as the brokers left it). */
  async restore(mode: SiteFailMode): Promise<void> {
    if (mode === 'isolate') {
      await Promise.all(this.cluster.links().map((l) => this.toxiproxy().setEnabled(l.name, true)));
      return;
    }
    // Together: a node of a 3-node quorum is not up until the others are back too.
    await Promise.all(this.cluster.brokers().map((b) => this.cluster.brokerProcess(b.id)!).filter((c) => !c.running).map((c) => c.start()));
  }

  /**
   * Waits until every partition of `topics` answers a ListOffsets from its leader (a restored site
   * is read only then: metadata names leaders a moment before they serve, "not the leader").
   */
  async awaitReadable(topics: string[], timeoutMs = 90_000): Promise<void> {
    const admin = createKafka(this.cluster.clientSettings('streamproof-drill-restore')).admin();
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    try {
      await admin.connect();
      while (Date.now() < deadline) {
        try {
          for (const topic of topics) await admin.fetchTopicOffsets(topic);
          return;
        } catch (error) {
          last = (error as Error).message;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    throw new HarnessError('CLUSTER_UNREACHABLE', `site ${this.name} was not readable ${Math.round(timeoutMs / 1000)} s after it was brought back: ${last}`);
  }

  /** Disables (or enables again) the links MirrorMaker 2 uses into this site. */
  async setReplication(enabled: boolean): Promise<string[]> {
    const links = this.cluster.links().filter((l) => l.kind === 'replication');
    if (links.length === 0) throw new HarnessError('FAULT_UNSUPPORTED', `site ${this.name}: no replication links (a lab started before they existed?)`);
    await Promise.all(links.map((l) => this.toxiproxy().setEnabled(l.name, enabled)));
    return links.map((l) => l.name);
  }
}
