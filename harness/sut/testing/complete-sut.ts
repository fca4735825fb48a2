/**
 * A SUT description that says everything a SUT file can: every key of SutConfig, every role
 * with every key it may carry, a sink. Valid against orders events (its oracle and derived field
 * bind), so tests can mutate it and expect the mutation, not the base, to be what is refused.
 */
import type { AggregateSpec, OutputTopic, OUTPUT_ROLES as Roles, Promises, Sink, SutChecks, SutConfig, WindowModel } from '../sut-config.ts';

// Every key SutConfig has, set: if SutConfig grows a key, this stops compiling until the key is
// written here, and then the schema must accept it (a key the loader keeps is a key a file may say).
type Every<T> = { [K in keyof Required<T>]: Exclude<T[K], undefined> };

export const window: Every<WindowModel> = { startColumn: 'window_start_ms', sizeMs: 60_000, graceMs: 5_000, watermark: 'per-partition-min', stage: 'downstream' };
export const aggregate: Every<AggregateSpec> = {
  keys: [{ name: 'window_start_ms', from: 'value', path: '$.window_start_ms', tolerance: 0 }, { name: 'region', from: 'key', path: '$', tolerance: 0 }],
  values: [{ name: 'n', from: 'value', path: '$.n', tolerance: 0.5 }],
  emission: 'updates',
  window,
  oracle: 'SELECT sp_window_start(sp_event_time_ms, 60000) AS window_start_ms, region, count(*) AS n FROM inputs GROUP BY ALL',
};
const promises: Every<Promises> = { exactlyOnce: true, perKeyOrder: true, dedupesResends: { withinMs: 120_000 }, poisonToDlq: true, late: 'topic', exactlyOnceAcrossSites: true };
const checks: Every<SutChecks> = { piiFields: ['customer.email'], acceptedDlqReasons: ['registry-unavailable'] };
const identity = { header: 'sp-event-id', path: '$.event_id' };
/** Each role with every key it may carry (the keys of OutputTopic are spread over the roles). */
export const outputs: Record<(typeof Roles)[number], OutputTopic> = {
  records: { name: 'out.records', role: 'records', identity, fields: { '*': 'carried', 'customer.email': 'dropped', cents: { sql: 'amount * 100', tolerance: 0.01 } }, exactlyOnce: false },
  aggregate: { name: 'out.aggregate', role: 'aggregate', identity, aggregate, exactlyOnce: true },
  dlq: { name: 'out.dlq', role: 'dlq', identity, keepsOriginalPayload: true, exactlyOnce: true },
  late: { name: 'out.late', role: 'late', identity, fields: { '*': 'ignored' }, exactlyOnce: true },
  bronze: { name: 'out.bronze', role: 'bronze', identity, keepsOriginalPayload: '$.original', exactlyOnce: true },
};
export const everyOutputKey: Every<OutputTopic> = { ...outputs.records, ...outputs.aggregate, ...outputs.dlq, keepsOriginalPayload: true, aggregate, fields: {}, exactlyOnce: true };
export const sinks: Every<Sink>[] = [
  { name: 'silver', kind: 'duckdb', path: 'lake.duckdb', table: 'silver', role: 'records', identity, aggregate, fields: { '*': 'carried' }, keepsOriginalPayload: false, exactlyOnce: true },
];
export const completeSut: Every<SutConfig> = {
  name: 'complete.sut',
  command: ['node', 'app.js'],
  cwd: '/tmp',
  env: { LOG_LEVEL: 'info' },
  instances: 2,
  topics: { input: [{ name: 'in', partitions: 4 }], outputs: Object.values(outputs) },
  sinks,
  readiness: { kind: 'group', groupId: 'g', clientIdPrefix: 'c' },
  readinessTimeoutMs: 30_000,
  stopGraceMs: 20_000,
  firstOutputTimeoutMs: 60_000,
  metricsUrl: 'http://127.0.0.1:{port}/metrics',
  promises,
  checks,
  errorPattern: '^E\\d{4} ',
};

