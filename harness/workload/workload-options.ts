/** Options of `runWorkload`, their defaults, and strict validation (CONFIG_INVALID naming the option). */
import type { GeneratedRecord } from '../../generators/record.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { ClientSettings } from '../kafka/kafka-client.ts';
import type { Acks } from './kafka-transport.ts';
import type { PendingSend } from './partition-batcher.ts';
import { compileRateProfile, type RateProfile, type RateSchedule } from './rate-profile.ts';
import type { BatchTransport } from './send-pipeline.ts';
import type { WorkloadClock } from './workload-clock.ts';

/** What the workload needs of a transport; KafkaTransport is the real one, tests pass fakes. */
export interface WorkloadTransport extends BatchTransport {
  partitionOf(key: string): number;
  close(): Promise<void>;
}

export interface WorkloadProgress {
  elapsedMs: number;
  targetRate: number;
  /** Sends started per second over the last interval. */
  rate: number;
  started: number;
  ok: number;
  fail: number;
  info: number;
  missed: number;
  inFlight: number;
}

export interface WorkloadOptions {
  /** Where to produce: a started cluster, or client settings of any cluster (exactly one). */
  cluster?: Pick<StartedCluster, 'clientSettings'>;
  clientSettings?: ClientSettings;
  topic: string;
  /** The events to send, in order (e.g. `generateEvents(...)`); pulled lazily. */
  events: Iterable<GeneratedRecord>;
  rate: RateProfile;
  /** Start no send after this long (ms). At least one of durationMs, count or a ramping profile bounds the run. */
  durationMs?: number;
  /** Start at most this many sends. */
  count?: number;
  /** Every send gets one row (the caller opens and closes the writer); metrics go here too. */
  history?: HistoryWriter;
  /** -1 (all in-sync replicas, default), 1 (leader) or 0 (none: every send is `info`). */
  acks?: Acks;
  /** Default true (requires acks -1). */
  idempotent?: boolean;
  /** kafkajs retries per batch; default unlimited when idempotent, else 5. */
  retries?: number;
  /** Most sends started and without an outcome; an arrival beyond it is missed. Default 10,000. */
  maxInFlight?: number;
  /** Producers to spread partitions over (partition % n). Default 1. */
  producers?: number;
  /** Arrivals due within this many ms start together (and share batches). Default 5. */
  tickMs?: number;
  /** Most arrivals started in one slice of work; a larger backlog is worked off with the event loop free in between. Default 2,000. */
  maxPerTick?: number;
  /** Records per produce batch (one partition). Default 500. */
  maxBatchMessages?: number;
  /** Approximate bytes per produce batch; keep under the topic's max.message.bytes. Default 512 KiB. */
  maxBatchBytes?: number;
  /** A record this big or bigger is sent alone. Default 256 KiB. */
  soloBytes?: number;
  /** How long a short batch waits for more records (send-pipeline.ts); adds up to this much latency. Default 0. */
  lingerMs?: number;
  /** After the last arrival, how long to wait for outcomes before recording the rest as `info`. Default 30 s. */
  drainTimeoutMs?: number;
  /** How often metrics are sampled into the history and onProgress is called. Default 1000. */
  metricsIntervalMs?: number;
  /** Extra labels on every metric sample (the topic is always one). */
  metricLabels?: Record<string, string>;
  onProgress?: (progress: WorkloadProgress) => void;
  /** Aborting ends the arrivals early; outcomes are still drained and recorded. */
  signal?: AbortSignal;
  /** First send_id (default 0), e.g. to continue numbering after an earlier workload in the same history. */
  firstSendId?: number;
  /** For tests: the clock of the arrival loop. */
  clock?: WorkloadClock;
  /** For tests: replaces the Kafka transport (then cluster/clientSettings are not used). */
  transport?: WorkloadTransport;
  /** For tests: sees every batch outcome (after it is recorded). */
  onBatch?: (sends: PendingSend[], outcome: string) => void;
}

export interface ResolvedWorkloadOptions extends WorkloadOptions {
  schedule: RateSchedule;
  settings: ClientSettings | undefined;
  acks: Acks;
  idempotent: boolean;
  maxInFlight: number;
  producers: number;
  tickMs: number;
  maxPerTick: number;
  maxBatchMessages: number;
  maxBatchBytes: number;
  soloBytes: number;
  lingerMs: number;
  drainTimeoutMs: number;
  metricsIntervalMs: number;
  firstSendId: number;
}

function invalid(option: string, message: string): HarnessError {
  return new HarnessError('CONFIG_INVALID', `workload: '${option}' ${message}`, { context: { option } });
}

function whole(options: WorkloadOptions, option: keyof WorkloadOptions, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = options[option] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(option, `must be a whole number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function positive(options: WorkloadOptions, option: keyof WorkloadOptions, fallback: number, allowZero = false): number {
  const value = options[option] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalid(option, `must be a number ${allowZero ? '>= 0' : '> 0'}, got ${String(value)}`);
  }
  return value;
}

export function resolveWorkloadOptions(options: WorkloadOptions): ResolvedWorkloadOptions {
  if (typeof options.topic !== 'string' || options.topic.trim() === '') throw invalid('topic', 'must be a topic name');
  if (options.events == null || typeof (options.events as Iterable<unknown>)[Symbol.iterator] !== 'function') throw invalid('events', 'must be an iterable of generated records');
  const targets = [options.cluster, options.clientSettings, options.transport].filter((t) => t !== undefined).length;
  if (targets !== 1) throw invalid('cluster', 'exactly one of cluster, clientSettings (or transport) must be given');
  const schedule = compileRateProfile(options.rate);
  const acks = options.acks ?? -1;
  if (acks !== -1 && acks !== 0 && acks !== 1) throw invalid('acks', `must be -1, 0 or 1, got ${String(acks)}`);
  const idempotent = options.idempotent ?? true;
  if (typeof idempotent !== 'boolean') throw invalid('idempotent', 'must be true or false');
  if (idempotent && acks !== -1) throw invalid('acks', `must be -1 for an idempotent producer (got ${acks}); pass idempotent: false for acks ${acks}`);
  if (options.retries !== undefined) whole(options, 'retries', 0, idempotent ? 1 : 0);
  if (options.durationMs !== undefined) positive(options, 'durationMs', 0);
  if (options.count !== undefined) whole(options, 'count', 0, 0);
  const bounded = options.durationMs !== undefined || options.count !== undefined || Number.isFinite(schedule.endMs) || Array.isArray(options.events);
  if (!bounded) throw invalid('durationMs', 'or count (or a ramping profile) must bound the run: an event iterator may never end');
  const maxBatchBytes = whole(options, 'maxBatchBytes', 512 * 1024, 1024);
  return {
    ...options,
    schedule,
    settings: options.clientSettings ?? options.cluster?.clientSettings('streamproof-workload'),
    acks,
    idempotent,
    maxInFlight: whole(options, 'maxInFlight', 10_000, 1),
    producers: whole(options, 'producers', 1, 1, 64),
    tickMs: positive(options, 'tickMs', 5),
    maxPerTick: whole(options, 'maxPerTick', 2000, 1),
    maxBatchMessages: whole(options, 'maxBatchMessages', 500, 1),
    maxBatchBytes,
    soloBytes: whole(options, 'soloBytes', Math.min(256 * 1024, maxBatchBytes), 1),
    lingerMs: whole(options, 'lingerMs', 0, 0),
    drainTimeoutMs: positive(options, 'drainTimeoutMs', 30_000, true),
    metricsIntervalMs: positive(options, 'metricsIntervalMs', 1000),
    firstSendId: whole(options, 'firstSendId', 0, 0),
  };
}
