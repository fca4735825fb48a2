/**
 * Plays a scenario's fault time line: cluster faults through the FaultInjector, SUT faults
 * (`sut.crash`, `sut.pause`, `sut.restart`, `sut.scale`) on the SutGroup, data faults
 * (`data.poison-burst`, `data.late-burst`) as extra generated records sent (and recorded as
 * sends) by a second workload. Every fault lands in the history's faults table.
 */
import { generateEvents } from '../../generators/generate-events.ts';
import type { GeneratedRecord } from '../../generators/record.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { Random } from '../random.ts';
import type { SutInstance } from '../sut/sut-instance.ts';
import { runWorkload } from '../workload/run-workload.ts';
import { asSent, type RunEncoding } from './run-encoding.ts';
import { eventTimeNow } from './event-time-origin.ts';
import type { DataFaultAttributes, SutFaultAttributes } from '../../scenarios/model/fault-kinds.ts';
import type { Scenario, ScheduledFault } from '../../scenarios/index.ts';

/** What SUT faults act on: a SutGroup, or several SUTs driven in step (`streamproof compare`). */
export interface SutFaultTarget {
  instance(id: number): Pick<SutInstance, 'kill' | 'start' | 'pause' | 'resume' | 'restart'>;
  runningInstances(): { id: number }[];
  scale(count: number): Promise<void>;
}

export interface FaultDriverOptions {
  scenario: Scenario;
  timeline: ScheduledFault[];
  injector: FaultInjector;
  sut: SutFaultTarget;
  cluster: StartedCluster;
  history: HistoryWriter;
  rng: Random;
  inputTopic: string;
  partitions: number;
  /** The run's registry encoding: bursts are encoded like the workload. */
  encoding?: RunEncoding;
  /** Milliseconds since the run started (the time line's clock). */
  elapsed: () => number;
  /** Largest event time the main workload has sent so far (late bursts are stamped behind it). */
  eventTimeHighWater: () => number;
  /** Event time of the main workload's record 0 (`eventTimeOrigin`): bursts before any send start here. */
  eventTimeOriginMs: number;
  /** Translates attributes naming SUT topics into the run's topics. */
  translate: (attrs: Record<string, unknown>) => Record<string, unknown>;
  signal: AbortSignal;
  onNote: (note: string) => void;
  /** `sut.state-loss` (harness/drill/state-loss.ts); absent where it cannot run (several SUTs). */
  loseState?: () => Promise<void>;
  /** The SUT's next record on a records output (`sut.crash` with `on: 'next-record'`); false on timeout. */
  nextRecord?: (timeoutMs: number, signal: AbortSignal) => Promise<boolean>;
}

/** How long a `sut.crash` with `on: 'next-record'` waits for that record before it kills anyway. */
const NEXT_RECORD_TIMEOUT_MS = 30_000;

const sleepUntil = async (elapsed: () => number, atMs: number, signal: AbortSignal) => {
  while (!signal.aborted) {
    const left = atMs - elapsed();
    if (left <= 0) return;
    await new Promise((r) => setTimeout(r, Math.min(left, 200)));
  }
};

/** Send ids of burst records start here (the main workload numbers from 0). */
const BURST_SEND_ID_BASE = 1_000_000_000;

export class FaultDriver {
  private readonly active = new Map<string, string>();
  /** SUT faults on one instance run one after the other: a crash waits until an earlier restart is ready. */
  private readonly instanceQueue = new Map<number, Promise<unknown>>();
  private counter = 0;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: FaultDriverOptions) {
    o.injector.on((record, event) => {
      this.enqueue(() =>
        event === 'start'
          ? o.history.recordFaultStart({ faultId: record.faultId, type: record.type, target: record.target, attrs: record.attributes, startUs: record.startUs })
          : o.history.recordFaultHeal(record.faultId, record.healUs ?? nowUs(), record.error ?? null),
      );
    });
  }

  /** Names of faults active now (for progress lines). */
  activeFaults(): string[] {
    return [...this.active.values()];
  }

  /** Runs the whole time line; resolves when every fault has been started and healed. */
  async run(): Promise<void> {
    await Promise.all(this.o.timeline.map((fault, i) => this.play(fault, i)));
    await this.chain;
  }

  /** Waits for pending history writes of fault events. */
  async settled(): Promise<void> {
    await this.chain;
  }

  private enqueue(write: () => Promise<unknown>): void {
    this.chain = this.chain.then(write).catch((error: unknown) => this.o.onNote(`could not record a fault: ${(error as Error).message}`));
  }

  private async play(fault: ScheduledFault, index: number): Promise<void> {
    const { signal, elapsed } = this.o;
    await sleepUntil(elapsed, fault.startMs, signal);
    if (signal.aborted) return;
    const label = `${fault.type}@${fault.origin}`;
    this.active.set(label, fault.type);
    try {
      if (fault.type.startsWith('sut.')) await this.sutFault(fault, fault.parsed as SutFaultAttributes);
      else if (fault.type.startsWith('data.')) await this.dataFault(fault, fault.parsed as DataFaultAttributes, index);
      else await this.clusterFault(fault);
    } catch (error) {
      this.o.onNote(`${fault.origin} ${fault.type}: ${(error as Error).message}`);
    } finally {
      this.active.delete(label);
    }
  }

  private async clusterFault(fault: ScheduledFault): Promise<void> {
    const startUs = nowUs();
    let id: string;
    try {
      id = await this.o.injector.start(fault.type, this.o.translate(fault.attrs), fault.origin);
    } catch (error) {
      const faultId = `${fault.type}!${++this.counter}`;
      this.enqueue(async () => {
        await this.o.history.recordFaultStart({ faultId, type: fault.type, target: 'unknown', attrs: fault.attrs, startUs, error: (error as Error).message });
        await this.o.history.recordFaultHeal(faultId, nowUs(), (error as Error).message);
      });
      throw error;
    }
    if (fault.timing !== 'lasting') return;
    await sleepUntil(this.o.elapsed, fault.endMs, this.o.signal);
    await this.o.injector.heal(id);
  }

  /** Records a harness-side fault around `apply` (start) and `heal`. */
  private async recorded(fault: ScheduledFault, target: string, apply: () => Promise<void>, heal?: () => Promise<void>): Promise<void> {
    const faultId = `${fault.type}#h${++this.counter}`;
    const startUs = nowUs();
    let error: string | null = null;
    try {
      await apply();
    } catch (e) {
      error = (e as Error).message;
    }
    this.enqueue(() => this.o.history.recordFaultStart({ faultId, type: fault.type, target, attrs: fault.attrs, startUs, error }));
    if (error === null && heal) {
      if (fault.timing === 'lasting') await sleepUntil(this.o.elapsed, fault.endMs, this.o.signal);
      try {
        await heal();
      } catch (e) {
        error = (e as Error).message;
      }
    }
    const healUs = nowUs();
    this.enqueue(() => this.o.history.recordFaultHeal(faultId, healUs, error));
    if (error !== null) throw new Error(error);
  }

  /** Waits for the SUT's next record on a records output (bounded), then `afterMs`. */
  private async untilNextRecord(fault: ScheduledFault, afterMs: number): Promise<void> {
    const seen = (await this.o.nextRecord?.(NEXT_RECORD_TIMEOUT_MS, this.o.signal)) ?? false;
    if (!seen) this.o.onNote(`${fault.origin}: no record on a records output within ${NEXT_RECORD_TIMEOUT_MS / 1000} s of its time: killed then`);
    else if (afterMs > 0) await new Promise((r) => setTimeout(r, afterMs));
  }

  private pickInstance(choice: number | 'random', faultLabel: string): number {
    if (choice !== 'random') return choice;
    const running = this.o.sut.runningInstances().map((i) => i.id).sort((a, b) => a - b);
    if (running.length === 0) throw new Error('no running SUT instance to pick');
    return running[this.o.rng.fork(faultLabel).int(0, running.length - 1)]!;
  }

  /** Runs `work` after every earlier SUT fault on instance `id` has finished (healed). */
  private onInstance(id: number, work: () => Promise<void>): Promise<void> {
    const previous = this.instanceQueue.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.instanceQueue.set(id, next);
    return next;
  }

  private async sutFault(fault: ScheduledFault, attrs: SutFaultAttributes): Promise<void> {
    const group = this.o.sut;
    switch (attrs.type) {
      case 'sut.crash': {
        const id = this.pickInstance(attrs.instance, fault.origin);
        return this.onInstance(id, async () => {
          if (attrs.on === 'next-record') await this.untilNextRecord(fault, attrs.afterMs ?? 0);
          await this.recorded(fault, `sut-${id}`, async () => void (await group.instance(id).kill()), () => group.instance(id).start());
        });
      }
      case 'sut.pause': {
        const id = this.pickInstance(attrs.instance, fault.origin);
        return this.onInstance(id, () => this.recorded(fault, `sut-${id}`, async () => group.instance(id).pause(), async () => group.instance(id).resume()));
      }
      case 'sut.restart': {
        const id = this.pickInstance(attrs.instance, fault.origin);
        return this.onInstance(id, () => this.recorded(fault, `sut-${id}`, () => group.instance(id).restart()));
      }
      case 'sut.scale':
        return this.recorded(fault, `sut:${attrs.instances}`, () => group.scale(attrs.instances));
      case 'sut.state-loss': {
        const lose = this.o.loseState;
        if (!lose) throw new HarnessError('FAULT_UNSUPPORTED', 'sut.state-loss runs only with one SUT (not under compare)');
        return this.recorded(fault, 'sut: every instance, its own topics, its sink', lose);
      }
    }
  }

  private burstRecords(attrs: DataFaultAttributes, index: number): GeneratedRecord[] {
    const { scenario, rng } = this.o;
    const seed = rng.fork(`burst-${index}`).seed;
    // Poison is stamped from the origin, so its bytes depend only on the seed and the origin.
    if (attrs.type === 'data.poison-burst') {
      return [...generateEvents({ domain: scenario.workload.domain, seed, count: attrs.count, startTimeMs: this.o.eventTimeOriginMs, poisonFraction: 1, poisonKinds: attrs.kinds, partitions: this.o.partitions })];
    }
    // Fresh, well-formed events stamped lateByMs behind what the workload has sent so far.
    const startTimeMs = Math.max(0, eventTimeNow(this.o.eventTimeHighWater(), this.o.eventTimeOriginMs) - attrs.lateByMs);
    const records = [...generateEvents({ domain: scenario.workload.domain, seed, count: attrs.count, startTimeMs, eventsPerSecond: Math.max(1, attrs.count), partitions: this.o.partitions })];
    return records.map((r) => (r.truth.kind === 'valid' ? { ...r, truth: { ...r.truth, kind: 'late' as const, expectedLate: true } } : r));
  }

  private async dataFault(fault: ScheduledFault, attrs: DataFaultAttributes, index: number): Promise<void> {
    const records = this.burstRecords(attrs, index);
    const spreadMs = fault.durationMs ?? 0;
    const rate = spreadMs > 0 ? (records.length * 1000) / spreadMs : Math.max(1000, records.length * 10);
    await this.recorded(fault, this.o.inputTopic, async () => {
      // Outcomes (an `oversized` poison record is refused: `fail`) are in the sends table.
      await runWorkload({
        cluster: this.o.cluster,
        topic: this.o.inputTopic,
        events: asSent(records, this.o.encoding),
        count: records.length,
        rate: { kind: 'constant', rate },
        history: this.o.history,
        firstSendId: BURST_SEND_ID_BASE + index * 10_000_000,
        metricLabels: { source: fault.type },
      });
    });
  }
}
