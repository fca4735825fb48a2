/**
 * The workload's producers across a failover: batches go to the primary until `switchTo` moves
 * them to the DR site, as a runbook re-points its producers. A batch still waiting on the lost
 * primary is settled `info` at the switch (it may or may not be there: the primary's final scan
 * tells) and the primary's producers are closed, so no retry lands later; the per-partition
 * queues then flow to the DR site in order. Offsets acknowledged by the DR site carry
 * DR_OFFSET_BASE (drill-meta.ts), so each send row says which site took it.
 */
import type { WorkloadTransport } from '../workload/workload-options.ts';
import type { PendingSend } from '../workload/partition-batcher.ts';
import type { BatchOutcome } from '../workload/send-pipeline.ts';
import { DR_OFFSET_BASE } from './drill-meta.ts';

export class FailoverTransport implements WorkloadTransport {
  private dr: WorkloadTransport | undefined;
  private abandon!: (outcome: BatchOutcome) => void;
  private readonly abandoned = new Promise<BatchOutcome>((resolve) => (this.abandon = resolve));

  constructor(private readonly primary: WorkloadTransport) {}

  get site(): 'primary' | 'dr' {
    return this.dr ? 'dr' : 'primary';
  }

  partitionOf(key: string): number {
    return (this.dr ?? this.primary).partitionOf(key);
  }

  async send(partition: number, sends: PendingSend[]): Promise<BatchOutcome> {
    if (this.dr) {
      const outcome = await this.dr.send(partition, sends);
      return outcome.outcome === 'ok' ? { outcome: 'ok', baseOffset: outcome.baseOffset + DR_OFFSET_BASE } : outcome;
    }
    return Promise.race([this.primary.send(partition, sends), this.abandoned]);
  }

  /** From now on every batch goes to `dr`; what still waits on the primary is settled `info`. */
  switchTo(dr: WorkloadTransport): void {
    this.dr = dr;
    this.abandon({ outcome: 'info', error: 'abandoned at the failover: the primary site was lost with this batch unacknowledged' });
    // Closing may wait on requests to dead brokers: not awaited, its producers are gone either way.
    void this.primary.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.dr?.close(), this.dr ? undefined : this.primary.close()]);
  }
}
