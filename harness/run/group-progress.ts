/**
 * How the runner follows a SUT's progress. A SUT that commits its consumer group's offsets
 * (kafkajs, Kafka Streams) is followed by lag = end offset − committed offset. Spark commits
 * none and Flink commits only on checkpoints, so when the group has no committed offset on the
 * input topics the runner follows the outputs instead: lag is unknown (not a number) and the
 * drain ends when the outputs are quiescent (no new record on any SUT output for `quietMs`) and
 * every acknowledged valid input is accounted for on a `records` output. run_meta
 * `observation.progress` says which mode a run used.
 */
import type { Admin } from 'kafkajs';
import type { ObservedInput, SendInput } from '../history/history-rows.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { SutConfig } from '../sut/sut-config.ts';

export type ProgressMode = 'committed-offsets' | 'quiescence';

export const OBSERVATION_META_KEY = 'observation';
export const DEFAULT_QUIET_MS = 5_000;

export interface GroupPosition {
  /** Records behind, over the input partitions (a partition without a commit counts from its start). */
  lag: number;
  /** Committed offsets summed over the input partitions (a partition without a commit: its start offset). */
  committed: number;
  /** Input partitions with a committed offset. */
  committedPartitions: number;
  partitions: number;
}

/** The group's position on its input topics, from the committed offsets and the topics' ends. */
export async function groupPosition(admin: Admin, groupId: string, topics: readonly string[]): Promise<GroupPosition> {
  const position: GroupPosition = { lag: 0, committed: 0, committedPartitions: 0, partitions: 0 };
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const parts = committed[0]?.partitions ?? [];
    for (const e of ends) {
      const offset = Number(parts.find((p) => p.partition === e.partition)?.offset ?? -1);
      const from = offset < 0 ? Number(e.low) : offset;
      position.partitions++;
      if (offset >= 0) position.committedPartitions++;
      position.committed += from;
      position.lag += Math.max(0, Number(e.high) - from);
    }
  }
  return position;
}

/**
 * What the drain in quiescence mode needs to know: acknowledged valid inputs (from the sends the
 * workload records) and the identities seen on `records` outputs (from what the live consumer
 * records). Each `tap*` returns a writer that records as before and tells this tracker.
 */
export class AccountingTracker {
  private readonly acked = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly identityHeader: Map<string, string>;

  constructor(sut: Pick<SutConfig, 'topics'>) {
    this.identityHeader = new Map(sut.topics.outputs.filter((o) => o.role === 'records').map((o) => [o.name, o.identity.header]));
  }

  /** False when the SUT has no `records` output: inputs cannot be accounted for one by one (aggregates only). */
  get accountable(): boolean {
    return this.identityHeader.size > 0;
  }

  /** Acknowledged valid inputs not (yet) seen on a records output. */
  unaccounted(): number {
    if (!this.accountable) return 0;
    let n = 0;
    for (const id of this.acked) if (!this.seen.has(id)) n++;
    return n;
  }

  send(row: Pick<SendInput, 'outcome' | 'truth' | 'eventId'>): void {
    if (row.outcome === 'ok' && row.truth === 'valid') this.acked.add(row.eventId);
  }

  observed(row: Pick<ObservedInput, 'topic' | 'headers'>): void {
    const header = this.identityHeader.get(row.topic);
    const headers = row.headers as Record<string, unknown> | null | undefined;
    const id = header === undefined ? undefined : headers?.[header];
    if (typeof id === 'string') this.seen.add(id);
  }

  /** `history`, telling this tracker of every send (for the workload). */
  tapSends(history: HistoryWriter): HistoryWriter {
    return tap(history, 'recordSend', (row) => this.send(row as SendInput));
  }

  /** `history`, telling this tracker of every observed record (for the live consumer). */
  tapObserved(history: HistoryWriter): HistoryWriter {
    return tap(history, 'recordObserved', (row) => this.observed(row as ObservedInput));
  }
}

/** The history with a listener on one of its record methods (the run watches what it records). */
export function tap(history: HistoryWriter, method: 'recordSend' | 'recordObserved', listener: (row: unknown) => void): HistoryWriter {
  return new Proxy(history, {
    get(target, property) {
      if (property === method) {
        return (row: never) => {
          target[method](row);
          listener(row);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface QuiescenceOptions {
  /** End offsets of every SUT output, summed (a new record anywhere changes it). */
  outputsEnd: () => Promise<number>;
  unaccounted: () => number;
  quietMs?: number;
  timeoutMs: number;
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface QuiescenceResult {
  /** Ms until quiescent with everything accounted for; null if not within the timeout. */
  drainMs: number | null;
  /** Whether the outputs were quiet (for `quietMs`) when the wait ended. */
  quiet: boolean;
  unaccounted: number;
}

/** Waits until no output has grown for `quietMs` and every acked valid input is accounted for (bounded). */
export async function waitForQuiescence(o: QuiescenceOptions): Promise<QuiescenceResult> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const quietMs = o.quietMs ?? DEFAULT_QUIET_MS;
  const began = now();
  let last: number | undefined;
  let quietSince = began;
  for (;;) {
    const end = await o.outputsEnd().catch(() => undefined);
    const t = now();
    if (end === undefined || end !== last) quietSince = t;
    last = end;
    const quiet = t - quietSince >= quietMs;
    const unaccounted = o.unaccounted();
    if (quiet && unaccounted === 0) return { drainMs: t - began, quiet, unaccounted };
    if (t - began >= o.timeoutMs) return { drainMs: null, quiet, unaccounted };
    await sleep(o.pollMs ?? 500);
  }
}

/** Sum of the end offsets of `topics` (for `outputsEnd`). */
export async function endOffsetSum(admin: Admin, topics: readonly string[]): Promise<number> {
  let sum = 0;
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) sum += Number(p.high);
  return sum;
}

export interface DrainOptions {
  admin: Admin;
  groupId: string;
  inputTopics: readonly string[];
  /** Every declared output of the SUT (run names). */
  outputTopics: readonly string[];
  /** Whether a lag sample during the run found a committed offset. */
  sawCommits: boolean;
  accounting: Pick<AccountingTracker, 'unaccounted' | 'accountable'>;
  timeoutMs: number;
  quietMs?: number;
  /** The committed-offsets drain (waitForLagZero). */
  lagZero: () => Promise<number | null>;
  /** For tests. */
  quiescence?: typeof waitForQuiescence;
}

export interface DrainResult {
  mode: ProgressMode;
  /** Ms the drain took; null when it did not drain (a run note). */
  drainMs: number | null;
  /** run_meta `observation`. */
  observation: Record<string, unknown>;
  /** Why it did not drain (the run note's text), when it did not. */
  problem?: string;
}

/**
 * The post-run drain in the mode the SUT allows: lag 0 when its group commits offsets (a sample
 * during the run saw one, or one is there now), else quiescence. Quiet outputs with inputs
 * still unaccounted for drain too (at the timeout): the checkers judge what is missing; a SUT
 * that commits no offsets is never inconclusive for that reason alone.
 */
export async function drainGroup(o: DrainOptions): Promise<DrainResult> {
  const committing = o.sawCommits || (await groupPosition(o.admin, o.groupId, o.inputTopics).then((p) => p.committedPartitions > 0).catch(() => false));
  if (committing) {
    const drainMs = await o.lagZero();
    const observation = { progress: 'committed-offsets' as const };
    return drainMs === null ? { mode: 'committed-offsets', drainMs, observation, problem: 'did not drain (lag 0)' } : { mode: 'committed-offsets', drainMs, observation };
  }
  const quietMs = o.quietMs ?? DEFAULT_QUIET_MS;
  const r = await (o.quiescence ?? waitForQuiescence)({
    outputsEnd: () => endOffsetSum(o.admin, o.outputTopics),
    unaccounted: () => o.accounting.unaccounted(),
    quietMs,
    timeoutMs: o.timeoutMs,
  });
  const observation = { progress: 'quiescence' as const, quietMs, accountable: o.accounting.accountable, quiet: r.quiet, unaccounted: r.unaccounted };
  if (r.drainMs !== null) return { mode: 'quiescence', drainMs: r.drainMs, observation };
  if (r.quiet) return { mode: 'quiescence', drainMs: o.timeoutMs, observation };
  return { mode: 'quiescence', drainMs: null, observation, problem: `did not drain (outputs still growing ${quietMs / 1000}s before the end)` };
}
