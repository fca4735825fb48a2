import type { Kafka, Producer } from 'kafkajs';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

export interface LabSettleOptions {
  /** Partitions of the probe topic: one per broker, so leaders are spread over the lab. */
  brokers: number;
  /** A probe transaction must take at most this long (ms). Default 500: 50–290 ms on an idle 3-broker lab here. */
  boundMs?: number;
  /** This many probes in a row must hold. */
  probesInARow?: number;
  timeoutMs?: number;
}

export interface LabSettleResult {
  settled: boolean;
  boundMs: number;
  waitedMs: number;
  /** The last probe transactions' times (ms), oldest first. */
  probeMs: number[];
  /** Partitions of the lab whose ISR was smaller than their replica set at the last look. */
  underReplicated: number;
  partitions: number;
}

export const SETTLE_TOPIC = '__streamproof_settle';
/** Where a run's history keeps the result (`run_meta`). */
export const LAB_SETTLE_META_KEY = 'lab.settle';

/**
 * Waits until the lab is back to its quiet state before a scenario starts: every partition
 * fully in sync, and a probe transaction (one acks=all record to each probe partition in
 * turn, then commit: the shape of a pipeline's unit of work) within `boundMs` several times
 * in a row. After a fault scenario heals, a broker can take a while to catch up, and a run
 * that starts on a slow lab is charged with its predecessor's aftermath (the chaos-engineering
 * rule: check the steady state before injecting anything). Never throws for a slow lab: it
 * returns what it saw, for the run to record.
 */
export async function settleLab(kafka: Kafka, options: LabSettleOptions): Promise<LabSettleResult> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 60_000);
  const inARow = options.probesInARow ?? 3;
  const boundMs = options.boundMs ?? 500;
  const admin = kafka.admin();
  const producer = kafka.producer({ transactionalId: `${SETTLE_TOPIC}-tx`, idempotent: true, maxInFlightRequests: 1 });
  const probeMs: number[] = [];
  let underReplicated = 0;
  let partitions = 0;
  try {
    await admin.connect();
    const rf = Math.min(3, options.brokers);
    if (!(await admin.listTopics()).includes(SETTLE_TOPIC)) {
      await createTopicsWithLeaders(admin, [{ topic: SETTLE_TOPIC, numPartitions: options.brokers, replicationFactor: rf }]);
    }
    await producer.connect();
    for (;;) {
      ({ underReplicated, partitions } = await inSync(admin));
      probeMs.push(await probe(producer, options.brokers).catch(() => Number.POSITIVE_INFINITY));
      const recent = probeMs.slice(-inARow);
      const settled = underReplicated === 0 && recent.length === inARow && recent.every((ms) => ms <= boundMs);
      if (settled || Date.now() >= deadline) return { settled, boundMs, waitedMs: Date.now() - started, probeMs: probeMs.slice(-inARow * 2), underReplicated, partitions };
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  }
}

async function inSync(admin: ReturnType<Kafka['admin']>): Promise<{ underReplicated: number; partitions: number }> {
  const { topics } = await admin.fetchTopicMetadata();
  const all = topics.flatMap((t) => t.partitions);
  return { underReplicated: all.filter((p) => p.leader < 0 || p.isr.length < p.replicas.length).length, partitions: all.length };
}

async function probe(producer: Producer, partitions: number): Promise<number> {
  const begun = performance.now();
  const tx = await producer.transaction();
  try {
    for (let partition = 0; partition < partitions; partition++) {
      await tx.send({ topic: SETTLE_TOPIC, acks: -1, messages: [{ partition, value: 'probe' }] });
    }
    await tx.commit();
  } catch (error) {
    await tx.abort().catch(() => undefined);
    throw error;
  }
  return Math.round(performance.now() - begun);
}
