/**
 * Samples the workload once per interval into the history's `metrics` table (and
 * onProgress). Names, all labelled `{ topic, ...metricLabels }`:
 *   send.rate.target   the profile's rate at the sample (events/s)
 *   send.rate          sends started per second over the last interval (the achieved rate)
 *   sends.in_flight    started and without an outcome (queued or out to Kafka)
 *   sends.missed, sends.ok, sends.fail, sends.info
 *                      running totals since the start (rates are differences of samples)
 */
import type { HistoryWriter } from '../history/history-writer.ts';
import { nowUs } from '../history/clock.ts';
import type { WorkloadProgress } from './workload-options.ts';

export interface WorkloadCounters {
  elapsedMs: number;
  targetRate: number;
  started: number;
  ok: number;
  fail: number;
  info: number;
  missed: number;
  inFlight: number;
}

export class WorkloadMetrics {
  private timer: NodeJS.Timeout | undefined;
  private lastElapsedMs = 0;
  private lastStarted = 0;

  constructor(
    private readonly read: () => WorkloadCounters,
    private readonly intervalMs: number,
    private readonly labels: Record<string, string>,
    private readonly history: HistoryWriter | undefined,
    private readonly onProgress: ((progress: WorkloadProgress) => void) | undefined,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  sample(): void {
    try {
      const c = this.read();
      const seconds = (c.elapsedMs - this.lastElapsedMs) / 1000;
      const rate = seconds > 0 ? (c.started - this.lastStarted) / seconds : 0;
      this.lastElapsedMs = c.elapsedMs;
      this.lastStarted = c.started;
      if (this.history) {
        const tsUs = nowUs();
        const put = (name: string, value: number) => this.history!.recordMetric({ tsUs, name, labels: this.labels, value });
        put('send.rate.target', c.targetRate);
        put('send.rate', rate);
        put('sends.in_flight', c.inFlight);
        put('sends.missed', c.missed);
        put('sends.ok', c.ok);
        put('sends.fail', c.fail);
        put('sends.info', c.info);
      }
      this.onProgress?.({ ...c, rate });
    } catch (error) {
      this.onError(error);
    }
  }
}
