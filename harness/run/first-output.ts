/**
 * The warm-up starts only once the SUT has produced its first output: a JVM or Spark SUT takes
 * 10-60 s from "ready" to its first record, and phases measured from readiness would count
 * that as latency. Before the phases, a slow priming load (its own seeded events, stamped in the
 * two minutes before the run's event-time origin, so the main load is never behind them) runs
 * until an output is seen or the bound passes. The priming sends are ordinary sends of the
 * history: every checker judges them too.
 */
import type { WorkloadSpec } from '../../scenarios/model/workload-spec.ts';
import { workloadRecords } from './workload-records.ts';
import { asSent, type RunEncoding } from './run-encoding.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { runWorkload } from '../workload/index.ts';

export const PRIMING_RATE = 10;
const PRIMING_SPAN_MS = 120_000;

export interface FirstOutputWait {
  /** How long the phases waited for the first output (ms). */
  waitedMs: number;
  seen: boolean;
  /** Priming sends (their send ids are 0..primed-1). */
  primed: number;
  boundMs: number;
}

export const FIRST_OUTPUT_META_KEY = 'warmup.first-output';

export async function primeUntilFirstOutput(o: {
  cluster: Pick<StartedCluster, 'clientSettings'>;
  topic: string;
  history: HistoryWriter;
  seed: number;
  /** Priming sends plain events of the workload's domain (or of its sample). */
  workload: WorkloadSpec;
  partitions: number;
  eventTimeOriginMs: number;
  boundMs: number;
  /** True once any output record was seen live. */
  outputSeen: () => boolean;
  /** The run's registry encoding, if any. */
  encoding?: RunEncoding;
}): Promise<FirstOutputWait> {
  const started = performance.now();
  const count = Math.max(1, Math.ceil((o.boundMs / 1000) * PRIMING_RATE));
  const { records: events } = workloadRecords(o.workload, {
    seed: o.seed, count, partitions: o.partitions, plain: true,
    startTimeMs: o.eventTimeOriginMs - PRIMING_SPAN_MS, eventsPerSecond: count / (PRIMING_SPAN_MS / 1000),
  });
  const stop = new AbortController();
  const poll = setInterval(() => o.outputSeen() && stop.abort(), 100);
  try {
    const sent = await runWorkload({ cluster: o.cluster, topic: o.topic, events: asSent(events, o.encoding), rate: { kind: 'constant', rate: PRIMING_RATE }, durationMs: o.boundMs, history: o.history, signal: stop.signal, metricLabels: { stage: 'priming' } });
    return { waitedMs: Math.round(performance.now() - started), seen: o.outputSeen(), primed: sent.sent, boundMs: o.boundMs };
  } finally {
    clearInterval(poll);
  }
}
