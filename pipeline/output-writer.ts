import type { Kafka, Message, Producer } from 'kafkajs';
import type { DeliveryMode } from './pipeline-config.ts';

export interface OutputRecord {
  topic: string;
  message: Message;
  /** Output partition: a window/record stays on its input partition number. */
  partition?: number;
}

export interface InputOffsets {
  topic: string;
  partition: number;
  /** The next offset to read (last processed + 1). */
  next: string;
}

/**
 * Writes one unit of work: outputs plus the input offsets they cover. Exactly-once: one
 * transactional producer per input partition (transactional id `<group>-<topic>-<p>`, which
 * fences a zombie owner of the same partition, since kafkajs sends TxnOffsetCommit without
 * KIP-447 member fencing), outputs and offsets in one transaction. At-least-once: outputs
 * at once with an idempotent producer; the checkpoint (state changelog records and input
 * offsets) every `checkpointIntervalMs`, as a consumer with auto-commit does (kafkajs'
 * default interval is 5 s): a crash re-processes everything since the last checkpoint
 * against the state of that checkpoint, so its outputs are written again.
 */
export class OutputWriter {
  private readonly transactional = new Map<number, Producer>();
  private plain: Producer | undefined;
  /** At-least-once: the newest unwritten checkpoint records (by topic/partition/key) and offsets. */
  private readonly pendingState = new Map<string, OutputRecord>();
  private readonly pendingOffsets = new Map<number, InputOffsets>();
  private lastCheckpoint = Date.now();

  constructor(
    private readonly kafka: Kafka,
    private readonly mode: DeliveryMode,
    private readonly groupId: string,
    private readonly inputTopic: string,
    private readonly commitOffsets: (offsets: InputOffsets) => Promise<void>,
    private readonly checkpoint: { topic: string; intervalMs: number } = { topic: '', intervalMs: 0 },
  ) {}

  /**
   * Takes ownership of partitions: a fresh transactional producer per partition whose
   * InitProducerId fences every older owner and waits out (or aborts) its open transaction.
   * Must happen before the committed offsets and the changelog are read, or a zombie's last
   * commit could land after we read them (kafkajs has no KIP-447 stable offset fetch).
   */
  async fence(partitions: number[]): Promise<void> {
    // At-least-once: what was processed before the (re)assignment is checkpointed, best effort.
    if (this.mode !== 'exactly-once') return this.flushCheckpoint().catch(() => undefined);
    await Promise.all(
      partitions.map(async (p) => {
        await this.transactional.get(p)?.disconnect().catch(() => undefined);
        this.transactional.delete(p);
        const producer = await this.producerFor(p);
        await (await producer.transaction()).abort();
      }),
    );
  }

  async write(outputs: OutputRecord[], offsets: InputOffsets | undefined, ownerPartition: number): Promise<void> {
    const byTopic = groupByTopic(outputs);
    if (this.mode === 'at-least-once') {
      const state = outputs.filter((o) => o.topic === this.checkpoint.topic);
      const now = groupByTopic(outputs.filter((o) => o.topic !== this.checkpoint.topic));
      if (now.length > 0) await sendAcknowledged(await this.plainProducer(), now);
      for (const o of state) this.pendingState.set(`${o.partition}/${String(o.message.key)}`, o);
      if (offsets) this.pendingOffsets.set(offsets.partition, offsets);
      await this.checkpointIfDue();
      return;
    }
    const producer = await this.producerFor(ownerPartition);
    const tx = await producer.transaction();
    try {
      // One request per topic-partition, in turn. kafkajs retries a multi-partition sendBatch
      // after a partial failure by re-sending partitions that had already succeeded on
      // another broker with *new* sequence numbers, which the broker cannot deduplicate
      // (seen here: DLQ records written twice inside one committed transaction).
      for (const { topic, messages } of byTopic) {
        for (const [partition, part] of byPartition(messages)) {
          await tx.send({ topic, acks: -1, messages: part.map((m) => ({ ...m, partition })) });
        }
      }
      if (offsets) {
        await tx.sendOffsets({ consumerGroupId: this.groupId, topics: [{ topic: offsets.topic, partitions: [{ partition: offsets.partition, offset: offsets.next }] }] });
      }
      await tx.commit();
    } catch (error) {
      await tx.abort().catch(() => undefined);
      throw error;
    }
  }

  /** Writes outputs outside any transaction: only for the planted `commit-before-process` path. */
  async writeWithoutTransaction(outputs: OutputRecord[]): Promise<void> {
    const byTopic = groupByTopic(outputs);
    if (byTopic.length > 0) await sendAcknowledged(await this.plainProducer(), byTopic);
  }

  /** At-least-once: checkpoints when the interval has passed (also called by the idle ticker). */
  async checkpointIfDue(): Promise<void> {
    if (this.mode === 'at-least-once' && Date.now() - this.lastCheckpoint >= this.checkpoint.intervalMs) await this.flushCheckpoint();
  }

  /** At-least-once: writes the pending state records, then commits the pending offsets. */
  async flushCheckpoint(): Promise<void> {
    this.lastCheckpoint = Date.now();
    const state = groupByTopic([...this.pendingState.values()]);
    const offsets = [...this.pendingOffsets.values()];
    this.pendingState.clear();
    this.pendingOffsets.clear();
    if (state.length > 0) await sendAcknowledged(await this.plainProducer(), state);
    for (const o of offsets) await this.commitOffsets(o);
  }

  async close(): Promise<void> {
    if (this.mode === 'at-least-once') await this.flushCheckpoint().catch(() => undefined);
    await Promise.allSettled([...this.transactional.values(), this.plain].filter((p): p is Producer => p !== undefined).map((p) => p.disconnect()));
  }

  private async producerFor(partition: number): Promise<Producer> {
    let producer = this.transactional.get(partition);
    if (!producer) {
      producer = this.kafka.producer({ transactionalId: `${this.groupId}-${this.inputTopic}-${partition}`, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 30_000 });
      this.transactional.set(partition, producer);
      await producer.connect();
    }
    return producer;
  }

  private async plainProducer(): Promise<Producer> {
    if (!this.plain) {
      this.plain = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.plain.connect();
    }
    return this.plain;
  }
}

/** Rounds of a send whose partitions were not all acknowledged before the batch fails (and is re-processed). */
const SEND_ROUNDS = 5;

/**
 * sendBatch until every topic-partition in it has an acknowledgement. kafkajs 2.2.4 can resolve a
 * multi-partition send without ever writing one partition: when that partition's leader moves,
 * mid-send, to a broker that already answered for others, its retry skips that broker (seen after
 * a broker's isolation healed; tulios/kafkajs PR #1798). At least once, the partitions left out
 * are sent again: a duplicate is allowed, a loss is not. Every reference output names its partition.
 */
async function sendAcknowledged(producer: Producer, topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
  let pending = topicMessages;
  for (let round = 1; ; round++) {
    const acknowledged = new Set((await producer.sendBatch({ acks: -1, topicMessages: pending })).map((r) => `${r.topicName}/${r.partition}`));
    pending = pending
      .map(({ topic, messages }) => ({ topic, messages: messages.filter((m) => m.partition !== undefined && !acknowledged.has(`${topic}/${m.partition}`)) }))
      .filter(({ messages }) => messages.length > 0);
    if (pending.length === 0) return;
    if (round === SEND_ROUNDS) throw new Error(`kafkajs acknowledged no write to ${pending.map((t) => `${t.topic}/${[...new Set(t.messages.map((m) => m.partition))].join(',')}`).join(' ')} after ${SEND_ROUNDS} sends`);
  }
}

function byPartition(messages: Message[]): Map<number, Message[]> {
  const parts = new Map<number, Message[]>();
  for (const m of messages) parts.set(m.partition ?? -1, [...(parts.get(m.partition ?? -1) ?? []), m]);
  return parts;
}

function groupByTopic(outputs: OutputRecord[]) {
  const topics = new Map<string, Message[]>();
  for (const o of outputs) {
    const list = topics.get(o.topic) ?? [];
    list.push(o.partition === undefined ? o.message : { ...o.message, partition: o.partition });
    topics.set(o.topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
