/**
 * What the runner watches on Kafka besides the live consumer (live-consumer.ts): consumer lag
 * once a second (metric `lag`), the drain wait, and the final full read of every SUT topic into
 * the history.
 */
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { HistoryWriter } from '../history/history-writer.ts';
import { nowUs } from '../history/clock.ts';
import { readToEnd } from '../kafka/read-to-end.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import { COMMITTED_METRIC } from '../checkers/consumption.ts';
import { groupPosition, type GroupPosition } from './group-progress.ts';

function headersOf(message: KafkaMessage): Record<string, string> | null {
  if (!message.headers) return null;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value[0] : value;
    out[name] = v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out;
}

export function recordMessage(history: HistoryWriter, role: string, topic: string, partition: number, message: KafkaMessage): void {
  history.recordObserved({
    role,
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value ?? null,
    headers: headersOf(message),
    observedUs: nowUs(),
    kafkaTsMs: message.timestamp ? Number(message.timestamp) : null,
  });
}

/**
 * Role of each topic in the final scan: the input topics as `input` (what really landed there,
 * re-sends and unacknowledged sends included), then every output as its declared role.
 */
export function topicRoles(sut: SutConfig): { topic: string; role: string }[] {
  return [...sut.topics.input.map((t) => ({ topic: t.name, role: 'input' })), ...sut.topics.outputs.map((o) => ({ topic: o.name, role: o.role }))];
}

/**
 * Samples the group's lag every `intervalMs` into the history (metric `lag`, and the committed
 * position as `input.committed`) until stopped. A sample that finds no committed offset on the
 * input topics is held back: lag is unknown until the group commits (Spark never does, Flink on
 * checkpoints); the first commit flushes the held samples, so a committing SUT keeps every sample.
 */
export class LagSampler {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private held: { tsUs: number; lag: number; committed: number }[] = [];
  /** The last lag; undefined while unknown (no committed offset yet). */
  last: number | undefined;
  /** Whether a sample found a committed offset on the input topics (group-progress.ts). */
  sawCommits = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: ReturnType<Kafka['admin']>,
    private readonly groupId: string,
    private readonly topics: string[],
    private readonly history: HistoryWriter,
  ) {}

  start(intervalMs = 1000, onSample?: (lag: number | undefined) => void): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      groupPosition(this.admin, this.groupId, this.topics)
        .then((position) => onSample?.(this.sample(nowUs(), position)))
        .catch(() => undefined) // a broker down during a fault: no sample this second
        .finally(() => (this.busy = false));
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Records one sample (or holds it back while nothing is committed); returns the lag, or undefined while unknown. */
  sample(tsUs: number, position: GroupPosition): number | undefined {
    const labels = { group: this.groupId };
    this.held.push({ tsUs, lag: position.lag, committed: position.committed });
    if (position.committedPartitions === 0 && !this.sawCommits) {
      this.last = undefined;
      return undefined;
    }
    this.sawCommits = true;
    for (const s of this.held.splice(0)) {
      this.history.recordMetric({ tsUs: s.tsUs, name: 'lag', labels, value: s.lag });
      this.history.recordMetric({ tsUs: s.tsUs, name: COMMITTED_METRIC, labels, value: s.committed });
    }
    this.last = position.lag;
    return position.lag;
  }
}

/**
 * Waits (bounded) until the group's lag is 0; returns the ms it took, or null on timeout.
 * `tolerance` > 0 is for a transactionally written input (e.g. bronze): each partition may end
 * with a commit marker no consumer ever commits past, so lag <= tolerance and unchanged for
 * `stablePolls` polls in a row counts as drained.
 */
export async function waitForLagZero(admin: ReturnType<Kafka['admin']>, groupId: string, topics: string[], timeoutMs: number, tolerance = 0, stablePolls = 6): Promise<number | null> {
  const began = Date.now();
  let previous: number | undefined;
  let stable = 0;
  while (Date.now() - began < timeoutMs) {
    const lag = await groupPosition(admin, groupId, topics).then((p) => p.lag, () => undefined);
    if (lag === 0) return Date.now() - began;
    stable = lag !== undefined && lag === previous ? stable + 1 : 0;
    previous = lag;
    if (tolerance > 0 && lag !== undefined && lag <= tolerance && stable >= stablePolls) return Date.now() - began;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

/** The final read_committed scan of every SUT topic into its role (sinks: sink-reader.ts). */
export async function finalScan(kafka: Kafka, sut: SutConfig, history: HistoryWriter, onProgress?: (line: string) => void): Promise<void> {
  for (const { topic, role } of topicRoles(sut)) {
    let n = 0;
    await readToEnd(kafka, topic, (partition, message) => {
      n++;
      recordMessage(history, role, topic, partition, message);
    });
    onProgress?.(`read ${n} records from ${topic} (${role})`);
  }
}
