/**
 * The workload's kafkajs side: producers for one topic, one single-partition produce per
 * batch, each record carrying `sp-send-ts` (invoke time, epoch µs) and `sp-event-id`
 * headers so a SUT's output can be timed and matched end to end.
 *
 * Offsets: kafkajs encodes a partition's messages as one record batch with offsetDelta = the
 * message's index, and the broker answers with the batch's base offset, so message i is at
 * baseOffset + i (checked against a real cluster by workload.int.test.ts).
 *
 * Idempotence: kafkajs lets an idempotent producer have one produce request per broker in
 * flight (a broker lock in its EOS manager; `maxInFlightRequests` does not matter for it).
 * After an `info` outcome its sequence numbers may no longer match the broker's (they are
 * rolled back even if the request was written), so that producer is retired and replaced
 * by a new one (a new producer id starts its sequences afresh), as the Java client resets
 * its producer id. Partitions are spread over `producers` producers (partition % n) so
 * several requests per broker can be out at once.
 */
import { EVENT_ID_HEADER, SEND_TS_HEADER } from '../history/harness-headers.ts';
import { CompressionTypes, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';
import { kafkaPartition } from '../../generators/murmur2.ts';
import { HarnessError } from '../errors.ts';
import { createKafka, type ClientSettings } from '../kafka/kafka-client.ts';
import type { PendingSend } from './partition-batcher.ts';
import { classifySendError, SendRejectedError } from './send-outcome.ts';
import type { BatchOutcome, BatchTransport } from './send-pipeline.ts';

export type Acks = -1 | 0 | 1;

export interface KafkaTransportOptions {
  settings: ClientSettings;
  topic: string;
  acks: Acks;
  idempotent: boolean;
  /** kafkajs retries per send; default: unlimited when idempotent (kafkajs' own default), else 5. */
  retries?: number;
  producers: number;
}

interface ProducerHandle {
  producer: Producer;
  pending: number;
  retired: boolean;
}

interface Slot {
  current: ProducerHandle;
  renewing: Promise<void> | undefined;
}

export { SEND_TS_HEADER, EVENT_ID_HEADER };

export class KafkaTransport implements BatchTransport {
  renewals = 0;
  private closed = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaTransportOptions,
    private readonly config: ProducerConfig,
    private readonly slots: Slot[],
    readonly partitions: number,
  ) {}

  static async connect(options: KafkaTransportOptions): Promise<KafkaTransport> {
    const kafka = createKafka({ clientId: 'streamproof-workload', ...options.settings });
    const partitions = await partitionCount(kafka, options.topic);
    const config: ProducerConfig = { idempotent: options.idempotent, allowAutoTopicCreation: false };
    if (options.retries !== undefined) config.retry = { retries: options.retries };
    const slots: Slot[] = [];
    try {
      for (let i = 0; i < options.producers; i++) slots.push({ current: await openProducer(kafka, config), renewing: undefined });
    } catch (error) {
      await Promise.allSettled(slots.map((slot) => slot.current.producer.disconnect()));
      throw new HarnessError('CLUSTER_UNREACHABLE', `workload: could not connect a producer to ${options.settings.brokers.join(',')}`, { cause: error, retriable: true });
    }
    return new KafkaTransport(kafka, options, config, slots, partitions);
  }

  /** Kafka's default partitioner for keyed records (murmur2), as the Java client and kafkajs use. */
  partitionOf(key: string): number {
    return kafkaPartition(key, this.partitions);
  }

  async send(partition: number, sends: PendingSend[]): Promise<BatchOutcome> {
    const slot = this.slots[partition % this.slots.length]!;
    if (slot.renewing) await slot.renewing;
    if (this.closed) return classifySendError(new SendRejectedError('workload stopped before the batch was handed to Kafka'));
    const handle = slot.current;
    const messages = sends.map((s) => ({
      key: s.record.key,
      value: s.record.wire ?? s.record.value,
      partition,
      headers: { [SEND_TS_HEADER]: String(s.invokeUs), [EVENT_ID_HEADER]: s.record.eventId },
    }));
    handle.pending += 1;
    try {
      const result = await handle.producer.send({ topic: this.options.topic, acks: this.options.acks, compression: CompressionTypes.None, messages });
      if (this.options.acks === 0) return { outcome: 'info', error: 'acks=0: the broker does not acknowledge, so the outcome is unknown' };
      const meta = result.find((m) => m.partition === partition);
      const baseOffset = meta?.baseOffset === undefined ? NaN : Number(meta.baseOffset);
      if (!meta || meta.errorCode !== 0 || !Number.isSafeInteger(baseOffset) || baseOffset < 0) {
        return { outcome: 'info', error: `produce response without a usable base offset for partition ${partition}: ${JSON.stringify(result)}` };
      }
      return { outcome: 'ok', baseOffset };
    } catch (error) {
      const classified = classifySendError(error);
      if (classified.outcome === 'info' && this.options.idempotent) this.renew(slot, handle);
      return classified;
    } finally {
      handle.pending -= 1;
      if (handle.retired && handle.pending === 0) void handle.producer.disconnect().catch(() => undefined);
    }
  }

  /** Disconnects every producer (sends still out are left to fail; call after the pipeline is idle). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.slots.map((slot) => slot.renewing));
    await Promise.allSettled(this.slots.map((slot) => slot.current.producer.disconnect()));
  }

  private renew(slot: Slot, handle: ProducerHandle): void {
    if (slot.current !== handle || slot.renewing) return;
    handle.retired = true;
    slot.renewing = (async () => {
      // Until a new producer is up no batch of this slot may go out: keep trying while the run lasts.
      while (!this.closed) {
        try {
          slot.current = await openProducer(this.kafka, this.config);
          this.renewals += 1;
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      if (handle.pending === 0) await handle.producer.disconnect().catch(() => undefined);
      slot.renewing = undefined;
    })();
  }
}

async function openProducer(kafka: Kafka, config: ProducerConfig): Promise<ProducerHandle> {
  const producer = kafka.producer(config);
  await producer.connect();
  return { producer, pending: 0, retired: false };
}

async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) throw new HarnessError('CONFIG_INVALID', `workload: topic '${topic}' does not exist (create it first)`, { context: { option: 'topic', topic } });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    if (partitions === 0) throw new HarnessError('CLUSTER_UNREACHABLE', `workload: no partition metadata for topic '${topic}'`, { retriable: true });
    return partitions;
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError('CLUSTER_UNREACHABLE', `workload: could not read metadata of topic '${topic}'`, { cause: error, retriable: true });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
