import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/errors.ts';
import { evaluateThreshold, METRICS, parseThreshold, thresholdKey } from './thresholds.ts';

describe('parseThreshold', () => {
  it.each([
    ['e2e_latency.p99 < 5s', { metric: 'e2e_latency', stat: 'p99', op: '<', value: 5000, unit: 'ms' }],
    ['e2e_latency.p50 <= 800ms', { metric: 'e2e_latency', stat: 'p50', op: '<=', value: 800, unit: 'ms' }],
    ['e2e_latency.mean<1.5s', { metric: 'e2e_latency', stat: 'mean', op: '<', value: 1500, unit: 'ms' }],
    ['lost == 0', { metric: 'lost', op: '==', value: 0, unit: 'count' }],
    ['duplicates == 0', { metric: 'duplicates', op: '==', value: 0, unit: 'count' }],
    ['recovery_time < 30s', { metric: 'recovery_time', op: '<', value: 30_000, unit: 'ms' }],
    ['drain_time < 1m', { metric: 'drain_time', op: '<', value: 60_000, unit: 'ms' }],
    ['throughput > 500/s', { metric: 'throughput', op: '>', value: 500, unit: '/s' }],
    ['consumer_lag.max < 10000', { metric: 'consumer_lag', stat: 'max', op: '<', value: 10_000, unit: 'count' }],
    ['consumer_lag.last >= 0', { metric: 'consumer_lag', stat: 'last', op: '>=', value: 0, unit: 'count' }],
    ['dlq != 3', { metric: 'dlq', op: '!=', value: 3, unit: 'count' }],
    ['  late <= 300 ', { metric: 'late', op: '<=', value: 300, unit: 'count' }],
    ['throughput(records) > 50/s', { metric: 'throughput', arg: 'records', op: '>', value: 50, unit: '/s' }],
    ['throughput(orders.gold.v1)>=1.5/s', { metric: 'throughput', arg: 'orders.gold.v1', op: '>=', value: 1.5, unit: '/s' }],
    ['sut.dropped_records_total.max <= 0', { metric: 'sut', arg: 'dropped_records_total', stat: 'max', op: '<=', value: 0, unit: 'count' }],
    ['sut.kafka:consumer_lag.last < 100', { metric: 'sut', arg: 'kafka:consumer_lag', stat: 'last', op: '<', value: 100, unit: 'count' }],
    ['sut.records_in_total.increase>1000', { metric: 'sut', arg: 'records_in_total', stat: 'increase', op: '>', value: 1000, unit: 'count' }],
  ])('parses %j', (text, expected) => {
    expect(parseThreshold(text, 'slas.run[0]')).toEqual({ ...expected, source: text });
  });

  it.each([
    ['e2e_latency.p99 <<< 5s', "expected '<metric>[.<stat>] <op> <value>[unit]' with metric one of e2e_latency"],
    ['e2e_latency.p99 =< 5s', 'expected \'<metric>[.<stat>]'],
    ['latency.p99 < 5s', 'expected a metric one of e2e_latency, consumer_lag'],
    ['e2e_latency < 5s', "expected a stat after 'e2e_latency.' (one of p50, p95, p99, max, mean)"],
    ['e2e_latency.p42 < 5s', 'expected a stat of e2e_latency one of p50, p95, p99, max, mean'],
    ['lost.max == 0', "expected no stat after 'lost'"],
    ['e2e_latency.p99 < 5000', 'expected a duration for e2e_latency'],
    ['e2e_latency.p99 < 5 s', "expected '<metric>"],
    ['throughput > 500', 'expected a rate for throughput'],
    ['lost == 0s', 'expected a plain count for lost'],
    ['lost == -1', "expected '<metric>"],
    ['', "expected '<metric>"],
    ['lost(records) == 0', "expected no argument after 'lost'"],
    ['throughput(records) > 5', 'expected a rate for throughput'],
    ['throughput() > 5/s', "expected '<metric>"],
    ['sut.dropped_records_total <= 0', "expected a stat after 'sut.' (one of max, min, mean, last, increase)"],
    ['sut.dropped_records_total.p99 <= 0', 'expected a stat of sut one of max, min, mean, last, increase'],
    ['sut.dropped.records.max <= 0', "expected 'sut.<name>.<stat> <op> <count>'"],
    ['sut.dropped_total.max <= 0s', 'expected a plain count for sut'],
    ['sut.max < 1', "expected a stat after 'sut.'"],
    ['sut < 1', 'expected a metric one of'],
  ])('rejects %j naming the path and what was expected', (text, expected) => {
    let error: unknown;
    try {
      parseThreshold(text, 'slas.fault[1]');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('CONFIG_INVALID');
    expect((error as HarnessError).message).toContain(`slas.fault[1]: ${expected}`);
    expect((error as HarnessError).message).toContain(`got '${text}'`);
  });

  it('rejects a value that is not a string', () => {
    expect(() => parseThreshold(5, 'slas.run[0]')).toThrow(/slas\.run\[0\]: expected '<metric>.* got 5/);
  });

  it('covers the metric table: every stat of every metric parses', () => {
    for (const [metric, spec] of Object.entries(METRICS)) {
      const value = spec.kind === 'duration' ? '1s' : spec.kind === 'rate' ? '1/s' : '1';
      const base = metric === 'sut' ? 'sut.some_total' : metric;
      const names = spec.stats.length === 0 ? [base] : spec.stats.map((s) => `${base}.${s}`);
      for (const name of names) expect(thresholdKey(parseThreshold(`${name} < ${value}`))).toBe(name);
    }
  });
});

describe('evaluateThreshold', () => {
  it.each([
    ['e2e_latency.p99 < 5s', 4999, true],
    ['e2e_latency.p99 < 5s', 5000, false],
    ['e2e_latency.p50 <= 800ms', 800, true],
    ['e2e_latency.p50 <= 800ms', 801, false],
    ['throughput > 500/s', 500, false],
    ['throughput > 500/s', 500.1, true],
    ['throughput >= 500/s', 500, true],
    ['lost == 0', 0, true],
    ['lost == 0', 1, false],
    ['dlq != 0', 0, false],
    ['dlq != 0', 2, true],
  ] as const)('%s with %d measured: %s', (text, measured, passed) => {
    const threshold = parseThreshold(text);
    expect(evaluateThreshold(threshold, measured)).toEqual({ passed, measured, threshold });
  });

  it('is unknown, never a pass, when nothing was measured', () => {
    for (const text of ['lost == 0', 'e2e_latency.p99 < 5s', 'dlq != 0', 'throughput >= 0/s']) {
      expect(evaluateThreshold(parseThreshold(text), undefined).passed).toBe('unknown');
      expect(evaluateThreshold(parseThreshold(text), Number.NaN).passed).toBe('unknown');
    }
  });
});
