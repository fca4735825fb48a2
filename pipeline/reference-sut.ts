import { join } from 'node:path';
import { defineSut, type SutConfig } from '../harness/sut/sut-config.ts';
import type { BugName } from './operators/bugs.ts';
import type { DeliveryMode } from './pipeline-config.ts';

const root = join(import.meta.dirname, '..');

export interface ReferenceSutOptions {
  instances?: number;
  mode?: DeliveryMode;
  bugs?: BugName[];
  /** Extra per-record processing delay (the `slow` candidate of canary tests). */
  delayMs?: number;
  /** A fetch's longest wait for more records (PIPELINE_FETCH_WAIT_MS; the pipeline's default 300). */
  fetchWaitMs?: number;
  /** Topic name prefix (a run can rename topics to reuse a lab). */
  prefix?: string;
  partitions?: number;
  sinkDir?: string;
  /** Declare the gold table as a sink in the run's own folder (STREAMPROOF_SINK_DIR): drills that lose or move sinks judge it. */
  goldSink?: boolean;
  env?: Record<string, string>;
}

/**
 * The gold windows as an aggregate declaration: tumbling event-time windows per input
 * partition and region, closed by the per-partition minimum watermark minus the allowed
 * out-of-orderness; the oracle says which inputs count (validated orders: poison, the v2
 * rename drift and late events are not gold's).
 */
export function goldAggregate(windowMs: number, outOfOrdernessMs: number) {
  return {
    keys: ['partition', 'window_start_ms', 'region'],
    values: ['window_end_ms', 'event_count', 'order_count', 'revenue_cents'],
    emission: 'final',
    window: { startColumn: 'window_start_ms', sizeMs: windowMs, graceMs: outOfOrdernessMs, watermark: 'per-partition-min' },
    oracle: `SELECT sp_partition AS partition, sp_window_start(sp_event_time_ms, ${windowMs}) AS window_start_ms, region,
  sp_window_start(sp_event_time_ms, ${windowMs}) + ${windowMs} AS window_end_ms, count(*) AS event_count,
  count(*) FILTER (WHERE event_type = 'order_placed') AS order_count,
  coalesce(sum(round(amount * 100)) FILTER (WHERE event_type = 'order_paid'), 0) AS revenue_cents
FROM inputs WHERE amount IS NOT NULL AND region IS NOT NULL GROUP BY ALL`,
  } as const;
}

/** Silver and late records: the input event with the email swapped for its token and the card dropped (pipeline/operators/pii-mask.ts). */
const MASKED_ORDER = { '*': 'carried', 'customer.email': 'dropped', 'customer.card_last4': 'dropped', 'customer.email_token': 'added' } as const;

/**
 * The reference pipeline described through the same contract as a user's pipeline: the
 * harness knows nothing about it beyond this object.
 */
export function referenceSut(options: ReferenceSutOptions = {}): SutConfig {
  const prefix = options.prefix ?? '';
  const args = ['--mode', options.mode ?? 'exactly-once'];
  if (options.bugs?.length) args.push('--bug', options.bugs.join(','));
  if (options.delayMs) args.push('--delay-ms', String(options.delayMs));
  // Joined by '.': a SUT name is [A-Za-z0-9._-]+ (two --bug flags had made '+', which that refuses).
  const name = options.bugs?.length ? `reference-${options.bugs.join('.')}` : 'reference';
  const env: Record<string, string> = { STREAMPROOF_KAFKAJS_LOG: 'error', ...(options.fetchWaitMs === undefined ? {} : { PIPELINE_FETCH_WAIT_MS: String(options.fetchWaitMs) }), ...options.env };
  const windowMs = Number(env.PIPELINE_WINDOW_MS ?? 60_000);
  const outOfOrdernessMs = Number(env.PIPELINE_OUT_OF_ORDERNESS_MS ?? 30_000);
  const gold = goldAggregate(windowMs, outOfOrdernessMs);
  return defineSut({
    name,
    command: [process.execPath, join(root, 'bin', 'run-ts.js'), join(root, 'pipeline', 'main.ts'), ...args],
    cwd: root,
    // kafkajs errors (retries, fencing) go to the instance log.
    env,
    instances: options.instances ?? 1,
    topics: {
      input: [{ name: `${prefix}orders.raw.v1`, partitions: options.partitions ?? 4 }],
      outputs: [
        { name: `${prefix}orders.silver.v1`, role: 'records', fields: MASKED_ORDER },
        { name: `${prefix}orders.gold.v1`, role: 'aggregate', aggregate: gold },
        { name: `${prefix}orders.dlq.v1`, role: 'dlq', keepsOriginalPayload: true },
        { name: `${prefix}orders.late.v1`, role: 'late', fields: MASKED_ORDER },
        { name: `${prefix}orders.bronze.v1`, role: 'bronze', keepsOriginalPayload: true },
      ],
    },
    // The DuckDB gold table the pipeline keeps (instance 0) in STREAMPROOF_SINK_DIR.
    sinks: options.sinkDir || options.goldSink ? [{ name: 'gold', kind: 'duckdb', path: options.sinkDir ? join(options.sinkDir, 'gold.duckdb') : 'gold.duckdb', table: 'gold_windows', role: 'aggregate', aggregate: gold }] : [],
    readiness: { kind: 'log', pattern: 'ready: instance' },
    readinessTimeoutMs: 90_000,
    metricsUrl: 'http://127.0.0.1:{port}/metrics',
    promises: {
      perKeyOrder: true,
      exactlyOnce: (options.mode ?? 'exactly-once') === 'exactly-once',
      // Dedupe ids are kept windowMs + outOfOrdernessMs (event time) behind a partition's closed
      // point, which is at most outOfOrdernessMs behind the newest event it has read.
      dedupesResends: { withinMs: windowMs + 2 * outOfOrdernessMs },
      poisonToDlq: true,
      late: 'topic',
    },
    checks: { piiFields: ['customer.email', 'customer.card_last4'] },
  });
}
