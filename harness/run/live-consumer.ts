/**
 * The live read_committed consumer on every declared output (roles `records-live` /
 * `<role>-live`): what `aborted-reads` compares with the final scan and what end-to-end latency
 * is measured from. It tracks how far it has read, so the run can wait until it has seen every
 * committed output before stopping it: a fixed 2 s pause was not enough after a broker kill
 * had stalled the SUT and the consumer (a chaos run stopped it before it read anything).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Kafka } from 'kafkajs';
import type { HistoryWriter } from '../history/history-writer.ts';
import { recordMessage } from './run-observer.ts';

const JOIN_WAIT_MS = 30_000;
/** run_meta key: `{ joins, crashes }` of the live consumer, evidence when a latency figure looks like a stall. */
export const LIVE_CONSUMER_META_KEY = 'live.consumer';

export class LiveConsumer {
  /** Next offset to read per `topic/partition` (after control records too: kafkajs' batch end). */
  private readonly positions = new Map<string, number>();
  /** Group joins (1 in a quiet run; each more is a rebalance it waited through) and crashes (kafkajs restarts it as a new member). */
  joins = 0;
  crashes = 0;

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
    private readonly topics: string[],
  ) {
    consumer.on(consumer.events.GROUP_JOIN, () => this.joins++);
    consumer.on(consumer.events.CRASH, () => this.crashes++);
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}/${payload.partition}`;
      const next = Number(payload.lastOffset) + 1;
      if (next > (this.positions.get(key) ?? 0)) this.positions.set(key, next);
    });
  }

  /** Starts the consumer on the SUT's declared outputs (none without outputs) and waits, bounded, until it is in its group. */
  static async start(kafka: Kafka, outputs: readonly { name: string; role: string }[], groupId: string, history: HistoryWriter): Promise<LiveConsumer | undefined> {
    if (outputs.length === 0) return undefined;
    // Patient retries: a consumer that gives up restarts as a new member, and the coordinator holds
    // the rejoin until the old member's session expires (a broker cut off for 8 s left it blind
    // for 14 s after the heal, measured as the SUT's latency). The shortest session the broker
    // allows bounds that wait if it still happens.
    const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100, sessionTimeout: 6_000, heartbeatInterval: 1000, retry: { retries: 60, initialRetryTime: 100, maxRetryTime: 1000 } });
    const roleOf = new Map(outputs.map((o) => [o.name, `${o.role}-live`]));
    const live = new LiveConsumer(kafka, consumer, [...roleOf.keys()]);
    await consumer.connect();
    // A consumer that failed to subscribe would keep reconnecting (and the process alive): disconnect it.
    await consumer.subscribe({ topics: live.topics, fromBeginning: true }).catch(async (error: unknown) => {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    });
    // Latency is measured when this consumer sees an output: it must be in its group before
    // the load starts, or the first outputs would look as late as the join was slow.
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const role = roleOf.get(batch.topic)!;
        for (const message of batch.messages) recordMessage(history, role, batch.topic, batch.partition, message);
      },
    });
    await Promise.race([joined, new Promise((r) => setTimeout(r, JOIN_WAIT_MS).unref())]);
    return live;
  }

  /**
   * Waits (bounded) until this consumer has read every output partition up to its last stable
   * offset as of the call; returns the partitions still behind (empty: caught up). A transaction
   * whose markers are still being written is not waited for: it was not yet readable (and a
   * transaction a killed producer left open would hold the wait to its timeout).
   */
  async catchUp(timeoutMs: number): Promise<string[]> {
    const began = Date.now();
    let ends: Map<string, number> | undefined;
    while (ends === undefined) {
      ends = await this.endOffsets().catch((error: unknown) => {
        if (Date.now() - began >= timeoutMs) throw error;
        return undefined;
      });
      if (ends === undefined) await sleep(500);
    }
    const behind = () => [...ends].filter(([key, end]) => (this.positions.get(key) ?? 0) < end).map(([key]) => key);
    while (behind().length > 0 && Date.now() - began < timeoutMs) await sleep(100);
    return behind();
  }

  /**
   * Last stable offsets of the outputs with data, by `topic/partition`. Its own short-lived admin:
   * kafkajs' admin, shared with the lag sampler, once answered with no partitions at all (a
   * metadata refresh for other topics overtook the one for these) and threw a TypeError.
   */
  private async endOffsets(): Promise<Map<string, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, number>();
      for (const topic of this.topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) if (Number(p.high) > Number(p.low)) ends.set(`${topic}/${p.partition}`, Number(p.high));
      }
      return ends;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async disconnect(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** How long the live consumers get, after the drain, to read the last committed outputs. */
export const LIVE_CATCH_UP_MS = 30_000;

/**
 * Waits for every live consumer to read what is committed on its outputs; returns a run note
 * when one did not (latency and aborted-reads would then judge only part of the outputs).
 */
export async function catchUpLive(consumers: (LiveConsumer | undefined)[], timeoutMs = LIVE_CATCH_UP_MS): Promise<string | undefined> {
  const behind: string[] = [];
  for (const live of consumers) {
    if (live) behind.push(...(await live.catchUp(timeoutMs).catch((error: unknown) => [`(end offsets unreadable: ${(error as Error).message})`])));
  }
  if (behind.length === 0) return undefined;
  return `the live consumer had not read every committed output ${timeoutMs / 1000}s after the drain (${behind.slice(0, 5).join(', ')}${behind.length > 5 ? ', ...' : ''})`;
}
