import { describe, expect, it } from 'vitest';
import { defineSut, OUTPUT_ROLES, type AggregateSpec, type OutputTopic, type Promises, type Sink, type SutChecks, type SutConfig, type WindowModel } from './sut-config.ts';
import { sutFileErrors } from './sut-file-schema.ts';

// Every key SutConfig has, set: if SutConfig grows a key, this stops compiling until the key is
// written here, and then the schema must accept it (a key the loader keeps is a key a file may say).
type Every<T> = { [K in keyof Required<T>]: Exclude<T[K], undefined> };

const window: Every<WindowModel> = { startColumn: 'window_start_ms', sizeMs: 60_000, graceMs: 5_000, watermark: 'per-partition-min', stage: 'downstream' };
const aggregate: Every<AggregateSpec> = {
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
const outputs: Record<(typeof OUTPUT_ROLES)[number], OutputTopic> = {
  records: { name: 'out.records', role: 'records', identity, fields: { '*': 'carried', 'customer.email': 'dropped', cents: { sql: 'amount * 100', tolerance: 0.01 } }, exactlyOnce: false },
  aggregate: { name: 'out.aggregate', role: 'aggregate', identity, aggregate, exactlyOnce: true },
  dlq: { name: 'out.dlq', role: 'dlq', identity, keepsOriginalPayload: true, exactlyOnce: true },
  late: { name: 'out.late', role: 'late', identity, fields: { '*': 'ignored' }, exactlyOnce: true },
  bronze: { name: 'out.bronze', role: 'bronze', identity, keepsOriginalPayload: '$.original', exactlyOnce: true },
};
const everyOutputKey: Every<OutputTopic> = { ...outputs.records, ...outputs.aggregate, ...outputs.dlq, keepsOriginalPayload: true, aggregate, fields: {}, exactlyOnce: true };
const sinks: Every<Sink>[] = [
  { name: 'silver', kind: 'duckdb', path: 'lake.duckdb', table: 'silver', role: 'records', identity, aggregate, fields: { '*': 'carried' }, keepsOriginalPayload: false, exactlyOnce: true },
];
const everything: Every<SutConfig> = {
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

describe('sut-file.schema.json against SutConfig', () => {
  it('accepts every key the loader keeps, on every role, and the loader keeps them as written', () => {
    expect(Object.keys(everyOutputKey).sort()).toEqual(['aggregate', 'exactlyOnce', 'fields', 'identity', 'keepsOriginalPayload', 'name', 'role']);
    expect(sutFileErrors(everything)).toEqual([]);
    expect(defineSut(JSON.parse(JSON.stringify(everything)))).toEqual(everything);
    // A sink with an aggregate (its own role) too.
    const lake = { ...everything, sinks: [{ ...sinks[0]!, role: 'aggregate', fields: undefined }] };
    expect(sutFileErrors(JSON.parse(JSON.stringify(lake)))).toEqual([]);
  });

  it('accepts every readiness kind with its keys', () => {
    for (const readiness of [{ kind: 'log', pattern: 'ready' }, { kind: 'http', url: 'http://127.0.0.1:{port}/ready' }, { kind: 'group' }, { kind: 'first-output' }, { kind: 'none' }]) {
      expect(sutFileErrors({ ...everything, readiness })).toEqual([]);
    }
  });

  it.each([
    ['topics.input[0].partitions', { ...everything, topics: { ...everything.topics, input: [{ name: 'in', partitions: 1e308 }] } }, 'sut.topics.input[0].partitions: must be <= 1000'],
    ['readinessTimeoutMs', { ...everything, readinessTimeoutMs: 2 ** 31 }, 'sut.readinessTimeoutMs: must be <= 2147483647'],
    ['stopGraceMs', { ...everything, stopGraceMs: Infinity }, 'sut.stopGraceMs: must be number'],
    ['window.sizeMs', { ...everything, topics: { ...everything.topics, outputs: [{ ...outputs.aggregate, aggregate: { ...aggregate, window: { ...window, sizeMs: 1e308 } } }] } }, 'sut.topics.outputs[0].aggregate.window.sizeMs: must be <= 31536000000'],
  ])('refuses a number no run could use (%s) before any lab starts', (_what, input, line) => {
    expect(sutFileErrors(input)[0]).toBe(line);
  });
});
