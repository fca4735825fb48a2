import { describe, expect, it } from 'vitest';
import { isHarnessError } from '../../errors.ts';
import { k6Facts, parseK6Summary } from './k6-summary.ts';

/** Trimmed from a real run of produce.js (k6 1.6.1, 500 msg/s for 5 s, 1-broker lab). */
const REAL = {
  metrics: {
    kafka_writer_message_count: { type: 'counter', contains: 'default', values: { count: 2498, rate: 498.6992666395902 } },
    kafka_writer_error_count: { type: 'counter', contains: 'default', values: { count: 0, rate: 0 }, thresholds: { 'count==0': { ok: true } } },
    kafka_writer_message_bytes: { type: 'counter', contains: 'data', values: { count: 765786, rate: 152881.07149834477 } },
    iteration_duration: {
      type: 'trend',
      contains: 'time',
      values: { 'p(90)': 19.5570532, 'p(95)': 30.3736859, 'p(99)': 64.93665878, avg: 10.1246228, min: 0.645055, med: 6.8370295, max: 108.966749 },
    },
    dropped_iterations: { type: 'counter', contains: 'default', values: { count: 3, rate: 0.5989 }, thresholds: { 'count<=25': { ok: true } } },
    iterations: { type: 'counter', contains: 'default', values: { count: 2498, rate: 498.6992666395902 } },
  },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 5009.030827 },
  setup_data: { startMs: 1795259254310 },
};

const clone = () => JSON.parse(JSON.stringify(REAL)) as typeof REAL;

describe('k6 summary', () => {
  it('reads what the produce run did', () => {
    const facts = k6Facts(parseK6Summary(clone()));
    expect(facts).toMatchObject({
      messagesWritten: 2498,
      messagesFailed: 0,
      bytesWritten: 765786,
      droppedIterations: 3,
      testRunDurationMs: 5009.030827,
      thresholdsPassed: true,
      produceMs: { p50: 6.8370295, p99: 64.93665878 },
    });
    expect(facts.ratePerSec).toBeCloseTo(498.7, 1);
    expect(facts.thresholds).toEqual([
      { metric: 'kafka_writer_error_count', expression: 'count==0', ok: true },
      { metric: 'dropped_iterations', expression: 'count<=25', ok: true },
    ]);
  });

  it('fails the thresholds when any one failed', () => {
    const summary = clone();
    summary.metrics.kafka_writer_error_count.values.count = 7;
    summary.metrics.kafka_writer_error_count.thresholds['count==0'].ok = false;
    const facts = k6Facts(parseK6Summary(summary));
    expect(facts.thresholdsPassed).toBe(false);
    expect(facts.messagesFailed).toBe(7);
    expect(facts.thresholds.filter((t) => !t.ok).map((t) => t.metric)).toEqual(['kafka_writer_error_count']);
  });

  it('counts nothing written when the writer never produced (metrics absent)', () => {
    const facts = k6Facts(parseK6Summary({ metrics: { dropped_iterations: REAL.metrics.dropped_iterations } }));
    expect(facts).toMatchObject({ messagesWritten: 0, messagesFailed: 0, ratePerSec: 0, produceMs: { p50: undefined, p99: undefined } });
  });

  it('does not call a run without thresholds a pass', () => {
    expect(k6Facts(parseK6Summary({ metrics: { iterations: REAL.metrics.iterations } })).thresholdsPassed).toBe(false);
  });

  it.each([
    ['not an object', 'oops'],
    ['an array', []],
    ['no metrics', { state: {} }],
    ['a metric without values', { metrics: { iterations: { type: 'counter' } } }],
  ])('rejects %s with a typed error', (_, input) => {
    try {
      parseK6Summary(input);
      expect.unreachable();
    } catch (error) {
      expect(isHarnessError(error) && error.code).toBe('INTERNAL');
    }
  });
});
