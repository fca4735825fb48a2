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
  env?: Record<string, string>;
}

/**
 * The reference pipeline described through the same contract as a user's pipeline: the
 * harness knows nothing about it beyond this object.
 */
export function referenceSut(options: ReferenceSutOptions = {}): SutConfig {
  const prefix = options.prefix ?? '';
  const args = ['--mode', options.mode ?? 'exactly-once'];
  if (options.bugs?.length) args.push('--bug', options.bugs.join(','));
  if (options.delayMs) args.push('--delay-ms', String(options.delayMs));
  const name = options.bugs?.length ? `reference-${options.bugs.join('+')}` : 'reference';
  return defineSut({
    name,
    command: [process.execPath, join(root, 'bin', 'run-ts.js'), join(root, 'pipeline', 'main.ts'), ...args],
    cwd: root,
    // kafkajs errors (retries, fencing) go to the instance log.
    env: { STREAMPROOF_KAFKAJS_LOG: 'error', ...(options.fetchWaitMs === undefined ? {} : { PIPELINE_FETCH_WAIT_MS: String(options.fetchWaitMs) }), ...options.env },
    instances: options.instances ?? 1,
    topics: {
      input: [{ name: `${prefix}orders.raw.v1`, partitions: options.partitions ?? 4 }],
      output: [`${prefix}orders.silver.v1`, `${prefix}orders.gold.v1`],
      dlq: `${prefix}orders.dlq.v1`,
      late: `${prefix}orders.late.v1`,
      bronze: `${prefix}orders.bronze.v1`,
    },
    sink: options.sinkDir ? { kind: 'duckdb', dir: options.sinkDir } : undefined,
    readiness: { kind: 'log', pattern: 'ready: instance' },
    readinessTimeoutMs: 90_000,
    metricsUrl: 'http://127.0.0.1:{port}/metrics',
    promises: { perKeyOrder: true, exactlyOnce: (options.mode ?? 'exactly-once') === 'exactly-once' },
  });
}
