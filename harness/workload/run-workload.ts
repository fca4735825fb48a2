/**
 * `runWorkload`: events from a generator, sent to a topic at a target arrival rate (open
 * model), every send recorded in the history with its outcome. See README.md beside this file.
 */
import type { GeneratedRecord } from '../../generators/record.ts';
import { HarnessError, isHarnessError } from '../errors.ts';
import { nowUs } from '../history/clock.ts';
import type { SendInput, SendOutcome } from '../history/history-rows.ts';
import { ArrivalLoop, type ArrivalEnd } from './arrival-loop.ts';
import { KafkaTransport } from './kafka-transport.ts';
import type { PendingSend } from './partition-batcher.ts';
import { SendPipeline, type BatchOutcome } from './send-pipeline.ts';
import { WorkloadMetrics } from './workload-metrics.ts';
import { resolveWorkloadOptions, type ResolvedWorkloadOptions, type WorkloadOptions, type WorkloadTransport } from './workload-options.ts';

export interface WorkloadSummary {
  topic: string;
  /** Sends started (each has exactly one history row). */
  sent: number;
  ok: number;
  fail: number;
  info: number;
  /** Arrivals dropped because maxInFlight sends were already out. */
  missed: number;
  /** Of `info`: sends still without an outcome when the drain timed out. */
  abandoned: number;
  /** Sends started per second over the arrival phase. */
  achievedRate: number;
  /** Arrivals the profile asked for per second over the arrival phase (started + missed). */
  offeredRate: number;
  /** Length of the arrival phase (ms). */
  durationMs: number;
  /** From the last arrival until every outcome was known (or the drain timed out). */
  drainMs: number;
  end: ArrivalEnd;
  batches: number;
  /** Idempotent producers replaced after an unknown outcome. */
  producerRenewals: number;
}

export async function runWorkload(input: WorkloadOptions): Promise<WorkloadSummary> {
  const options = resolveWorkloadOptions(input);
  const transport: WorkloadTransport = options.transport ?? (await KafkaTransport.connect({
    settings: options.settings!,
    topic: options.topic,
    acks: options.acks,
    idempotent: options.idempotent,
    retries: options.retries,
    producers: options.producers,
  }));
  try {
    return await new WorkloadRun(options, transport).run();
  } finally {
    if (!options.transport) await transport.close();
  }
}

class WorkloadRun {
  private readonly counts: Record<SendOutcome, number> = { ok: 0, fail: 0, info: 0 };
  private readonly iterator: Iterator<GeneratedRecord>;
  private readonly pipeline: SendPipeline;
  private readonly loop: ArrivalLoop<GeneratedRecord>;
  private readonly metrics: WorkloadMetrics;
  private nextSendId: number;
  private failure: unknown;
  private release: (count: number) => void = () => undefined;

  constructor(
    private readonly options: ResolvedWorkloadOptions,
    private readonly transport: WorkloadTransport,
  ) {
    this.iterator = options.events[Symbol.iterator]();
    this.nextSendId = options.firstSendId;
    this.pipeline = new SendPipeline(transport, options, (sends, outcome) => this.settled(sends, outcome));
    this.loop = new ArrivalLoop<GeneratedRecord>({
      schedule: options.schedule,
      clock: options.clock,
      maxInFlight: options.maxInFlight,
      tickMs: options.tickMs,
      maxPerTick: options.maxPerTick,
      durationMs: options.durationMs,
      count: options.count,
      pull: (n) => this.pull(n),
      dispatch: (records, release) => this.dispatch(records, release),
      stopRequested: () => this.failure !== undefined || options.signal?.aborted === true,
    });
    const labels = { topic: options.topic, ...options.metricLabels };
    this.metrics = new WorkloadMetrics(() => this.counters(), options.metricsIntervalMs, labels, options.history, options.onProgress, (e) => this.fail(e));
  }

  async run(): Promise<WorkloadSummary> {
    this.metrics.start();
    let end: ArrivalEnd;
    let abandoned = 0;
    let arrivalMs = 0;
    let drainBegan = 0;
    try {
      end = await this.loop.run();
      arrivalMs = this.loop.stats().elapsedMs;
      drainBegan = performance.now();
      abandoned = await this.drain();
    } catch (error) {
      // The event source or a dispatch threw: nothing more starts; what is out is recorded as unknown.
      this.fail(error);
      this.recordAbandoned(this.pipeline.abandon(), 'workload stopped by an error before the outcome was known');
      end = 'stopped';
    } finally {
      this.metrics.stop();
    }
    const drainMs = drainBegan === 0 ? 0 : performance.now() - drainBegan;
    this.metrics.sample();
    if (this.failure !== undefined) throw asHarnessError(this.failure);
    const stats = this.loop.stats();
    const seconds = arrivalMs / 1000;
    return {
      topic: this.options.topic,
      sent: stats.started,
      ...this.counts,
      missed: stats.missed,
      abandoned,
      achievedRate: seconds > 0 ? stats.started / seconds : 0,
      offeredRate: seconds > 0 ? stats.arrivals / seconds : 0,
      durationMs: arrivalMs,
      drainMs,
      end,
      batches: this.pipeline.batches,
      producerRenewals: this.transport instanceof KafkaTransport ? this.transport.renewals : 0,
    };
  }

  private pull(n: number): GeneratedRecord[] {
    const records: GeneratedRecord[] = [];
    while (records.length < n) {
      const next = this.iterator.next();
      if (next.done) break;
      records.push(next.value);
    }
    return records;
  }

  private dispatch(records: GeneratedRecord[], release: (count: number) => void): void {
    this.release = release;
    const invokeUs = nowUs();
    const sends: PendingSend[] = records.map((record) => ({
      sendId: this.nextSendId++,
      record,
      partition: this.transport.partitionOf(record.key),
      invokeUs,
    }));
    this.pipeline.enqueue(sends);
  }

  private settled(sends: PendingSend[], outcome: BatchOutcome): void {
    const completeUs = nowUs();
    this.release(sends.length);
    this.counts[outcome.outcome] += sends.length;
    try {
      const history = this.options.history;
      if (history) {
        const ok = outcome.outcome === 'ok';
        for (let i = 0; i < sends.length; i++) {
          const send = sends[i]!;
          history.recordSend(row(send, this.options.topic, outcome.outcome, ok ? send.partition : null, ok ? outcome.baseOffset + i : null, ok ? null : outcome.error, completeUs));
        }
      }
      this.options.onBatch?.(sends, outcome.outcome);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Waits for outstanding outcomes; what is still out after drainTimeoutMs becomes `info`. */
  private async drain(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.options.drainTimeoutMs);
    });
    const gaveUp = await Promise.race([this.pipeline.idle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (!gaveUp) return 0;
    const left = this.pipeline.abandon();
    this.recordAbandoned(left, `no outcome within drainTimeoutMs (${this.options.drainTimeoutMs} ms) after the last arrival`);
    return left.length;
  }

  private recordAbandoned(sends: PendingSend[], error: string): void {
    this.release(sends.length);
    this.counts.info += sends.length;
    if (!this.options.history) return;
    try {
      for (const send of sends) this.options.history.recordSend(row(send, this.options.topic, 'info', null, null, error, null));
    } catch (e) {
      this.fail(e);
    }
  }

  private counters() {
    const s = this.loop.stats();
    return { elapsedMs: s.elapsedMs, targetRate: this.options.schedule.rateAt(s.elapsedMs), started: s.started, ...this.counts, missed: s.missed, inFlight: s.inFlight };
  }

  private fail(error: unknown): void {
    this.failure ??= error;
  }
}

/** One sends row (built in one go: this runs once per send, at the workload's full rate). */
function row(send: PendingSend, topic: string, outcome: SendOutcome, partition: number | null, offset: number | null, error: string | null, completeUs: number | null): SendInput {
  const { record } = send;
  return {
    sendId: send.sendId,
    eventId: record.eventId,
    key: record.key,
    topic,
    partition,
    offset,
    outcome,
    error,
    invokeUs: send.invokeUs,
    completeUs,
    value: record.value,
    truth: record.truth.kind,
    truthDetail: record.truth,
    eventTimeMs: record.eventTimeMs,
    schemaId: record.schemaId ?? null,
    wire: record.wire ?? null,
  };
}

function asHarnessError(error: unknown): HarnessError {
  if (isHarnessError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HarnessError('INTERNAL', `workload failed: ${message}`, { cause: error });
}
