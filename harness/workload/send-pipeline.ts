/**
 * Between the arrival loop and the Kafka client: one queue per partition, and at most one
 * batch per partition in flight. Sends that arrive while their partition's batch is out
 * wait and leave together in the next batch (as the Java producer's accumulator does with
 * max.in.flight=1), so batches grow with the load.
 *
 * With `lingerMs`, a batch short of `maxBatchMessages` also waits until its oldest send has
 * waited that long (as the Java producer's linger.ms): at a low rate, batches of one or two
 * records become batches of many, which is what a backlog written for later wants (fewer,
 * fuller record batches in the log: bench:pipeline --backlogs, docs/workload.md). Default 0.
 *
 * One batch per partition is also what keeps kafkajs' idempotent producer honest: when a
 * request fails, kafkajs (2.2.4) rolls the partition's sequence number back and releases
 * the broker lock before retrying; a second batch of the same partition sent meanwhile
 * would reuse those sequence numbers and, if the failed request had in fact been written,
 * be acknowledged by the broker as a duplicate without being written. With one batch in
 * flight per partition, nothing can take the rolled-back numbers but the retry itself.
 */
import { nowUs } from '../history/clock.ts';
import type { BatchLimits, PendingSend } from './partition-batcher.ts';
import { SendQueue } from './partition-batcher.ts';

export type BatchOutcome = { outcome: 'ok'; baseOffset: number } | { outcome: 'fail' | 'info'; error: string };

export interface BatchTransport {
  /** Produces one partition's batch, in order; resolves with its outcome and never rejects. */
  send(partition: number, sends: PendingSend[]): Promise<BatchOutcome>;
}

export type SettledListener = (sends: PendingSend[], outcome: BatchOutcome) => void;

export class SendPipeline {
  private readonly queues = new Map<number, SendQueue>();
  private readonly busy = new Set<number>();
  private readonly lingering = new Map<number, NodeJS.Timeout>();
  private readonly inFlight = new Set<PendingSend[]>();
  private waiting = 0;
  private abandoned = false;
  private idleWaiters: (() => void)[] = [];
  batches = 0;

  constructor(
    private readonly transport: BatchTransport,
    private readonly limits: BatchLimits,
    private readonly onSettled: SettledListener,
  ) {}

  /** Sends not yet settled: queued plus in flight. */
  get pending(): number {
    let sending = 0;
    for (const batch of this.inFlight) sending += batch.length;
    return this.waiting + sending;
  }

  enqueue(sends: readonly PendingSend[]): void {
    if (this.abandoned) throw new Error('SendPipeline: enqueue after abandon');
    const touched = new Set<number>();
    for (const send of sends) {
      let queue = this.queues.get(send.partition);
      if (!queue) {
        queue = new SendQueue();
        this.queues.set(send.partition, queue);
      }
      queue.push(send);
      touched.add(send.partition);
    }
    this.waiting += sends.length;
    for (const partition of touched) this.pump(partition);
  }

  /** Resolves once every enqueued send has settled (or the pipeline was abandoned). */
  idle(): Promise<void> {
    if (this.abandoned || (this.waiting === 0 && this.inFlight.size === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Gives up on everything unsettled (returned, oldest first); later outcomes are ignored. */
  abandon(): PendingSend[] {
    this.abandoned = true;
    const left = [...this.inFlight].flat();
    for (const queue of this.queues.values()) left.push(...queue.drain());
    this.waiting = 0;
    this.inFlight.clear();
    for (const timer of this.lingering.values()) clearTimeout(timer);
    this.lingering.clear();
    this.wakeIdle();
    return left.sort((a, b) => a.sendId - b.sendId);
  }

  private pump(partition: number): void {
    if (this.abandoned || this.busy.has(partition)) return;
    const queue = this.queues.get(partition);
    const oldest = queue?.peek();
    const linger = this.limits.lingerMs ?? 0;
    if (oldest && linger > 0 && queue!.length < this.limits.maxBatchMessages) {
      if (this.lingering.has(partition)) return;
      const left = linger - (nowUs() - oldest.invokeUs) / 1000;
      if (left > 0) {
        this.lingering.set(partition, setTimeout(() => {
          this.lingering.delete(partition);
          this.send(partition);
        }, left));
        return;
      }
    }
    clearTimeout(this.lingering.get(partition)); // a full batch leaves at once
    this.lingering.delete(partition);
    this.send(partition);
  }

  private send(partition: number): void {
    if (this.abandoned || this.busy.has(partition)) return;
    const batch = this.queues.get(partition)?.takeBatch(this.limits) ?? [];
    if (batch.length === 0) return;
    this.busy.add(partition);
    this.waiting -= batch.length;
    this.inFlight.add(batch);
    this.batches += 1;
    void this.transport.send(partition, batch).then(
      (outcome) => this.settle(partition, batch, outcome),
      (error: unknown) => this.settle(partition, batch, { outcome: 'info', error: `transport threw: ${String(error)}` }),
    );
  }

  private settle(partition: number, batch: PendingSend[], outcome: BatchOutcome): void {
    if (this.abandoned) return;
    this.inFlight.delete(batch);
    this.busy.delete(partition);
    this.onSettled(batch, outcome);
    this.pump(partition);
    if (this.waiting === 0 && this.inFlight.size === 0) this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
