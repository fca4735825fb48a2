import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import type { Random } from '../random.ts';
import type { SutClocks } from '../clock/clock-target.ts';
import type { ActiveFault } from './fault.ts';
import { faultType, lacksProcessControl } from './fault-registry.ts';

/** What happened to one fault, with wall-clock microseconds; what the history records. */
export interface FaultRecord {
  faultId: string;
  type: string;
  target: string;
  attributes: unknown;
  startUs: number;
  healUs?: number;
  error?: string;
}

export type FaultListener = (record: FaultRecord, event: 'start' | 'heal') => void;

const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/**
 * Starts and heals faults by type name, keeping every fault it started so `healAll` can
 * undo them (the end of a run, or an error path), and telling listeners (the history).
 */
export class FaultInjector {
  private readonly active = new Map<string, { fault: ActiveFault; record: FaultRecord }>();
  private readonly listeners: FaultListener[] = [];
  private counter = 0;

  constructor(
    private readonly cluster: StartedCluster,
    private readonly rng: Random,
    private readonly sut?: SutClocks,
  ) {}

  /** Subscribe to fault events; returns the unsubscribe function (as kafkajs' `on`). */
  on(listener: FaultListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  async start(typeName: string, attributes: unknown = {}, path = typeName): Promise<string> {
    const type = faultType(typeName, path);
    const parsed = type.parse(attributes, path);
    if (type.needsProcessControl && lacksProcessControl(this.cluster)) {
      throw new HarnessError('FAULT_UNSUPPORTED', `${typeName} needs broker process control, which the ${this.cluster.provider} provider does not offer`);
    }
    const faultId = `${typeName}#${++this.counter}`;
    const startUs = nowUs();
    const fault = await type.start({ cluster: this.cluster, rng: this.rng.fork(faultId), sut: this.sut }, parsed);
    const recorded = fault.effect && typeof attributes === 'object' && attributes !== null ? { ...attributes, effect: fault.effect } : attributes;
    const record: FaultRecord = { faultId, type: typeName, target: fault.target, attributes: recorded, startUs };
    this.active.set(faultId, { fault, record });
    this.emit(record, 'start');
    return faultId;
  }

  async heal(faultId: string): Promise<void> {
    const entry = this.active.get(faultId);
    if (!entry) return;
    this.active.delete(faultId);
    try {
      await entry.fault.heal();
    } catch (error) {
      entry.record.error = (error as Error).message;
      throw error;
    } finally {
      entry.record.healUs = nowUs();
      this.emit(entry.record, 'heal');
    }
  }

  /** Heals everything still active, in reverse order; errors are collected, not thrown early. */
  async healAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const faultId of [...this.active.keys()].reverse()) {
      await this.heal(faultId).catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw errors[0];
  }

  activeFaults(): FaultRecord[] {
    return [...this.active.values()].map((e) => e.record);
  }

  private emit(record: FaultRecord, event: 'start' | 'heal'): void {
    for (const listener of this.listeners) listener({ ...record }, event);
  }
}
