import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { computeMetrics, type MetricsOptions } from './metrics.ts';
import { defineSut } from '../sut/sut-config.ts';
import { SyntheticHistory, T0_MS, T0_US, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const run = async (h: SyntheticHistory, options: MetricsOptions = {}) =>
  withReader(await h.write(tempDir()), (r) => computeMetrics(r, options));
const S = 1_000_000;

/**
 * Sends every 100 ms from T0 for 15 s; output latency 50 ms, except 3 s for sends invoked in
 * [4 s, 6 s) (a fault from 4 s, healed at 5 s); the last send takes 150 ms. Lag 500 from 4 s to 8 s, else 3.
 */
function history(withLive = true): SyntheticHistory {
  const h = new SyntheticHistory();
  h.phases.push({ name: 'steady', startUs: T0_US, endUs: T0_US + 4 * S });
  h.phases.push({ name: 'fault', startUs: T0_US + 4 * S, endUs: T0_US + 5 * S });
  h.phases.push({ name: 'recovery', startUs: T0_US + 5 * S, endUs: T0_US + 15 * S });
  h.phases.push({ name: 'drain', startUs: T0_US + 15 * S, endUs: T0_US + 25 * S });
  h.faults.push({ faultId: 'f1', type: 'broker.pause', target: 'broker-1', startUs: T0_US + 4 * S, healUs: T0_US + 5 * S });
  for (let i = 0; i < 150; i++) {
    const invokeUs = T0_US + i * 100_000;
    const send = h.send({ eventId: `e${i}`, invokeUs });
    const slow = invokeUs >= T0_US + 4 * S && invokeUs < T0_US + 6 * S;
    const visibleUs = invokeUs + (slow ? 3 * S : i === 149 ? 150_000 : 50_000);
    h.output(send, { observedUs: T0_US + 30 * S, kafkaTsMs: Math.floor(visibleUs / 1000) - 10 });
    if (withLive) h.output(send, { observedUs: visibleUs, offset: i }, 'records-live');
  }
  for (let t = 0; t <= 16; t++) {
    const lag = t >= 4 && t < 8 ? 500 : 3;
    h.metrics.push({ tsUs: T0_US + t * S, name: 'lag', labels: { partition: '0' }, value: lag / 2 });
    h.metrics.push({ tsUs: T0_US + t * S, name: 'lag', labels: { partition: '1' }, value: lag / 2 });
  }
  return h;
}

describe('metrics', () => {
  it('reports latency percentiles, throughput and lag per phase, with sample sizes', async () => {
    const report = await run(history());
    expect(report.latencySource).toBe('records-live');
    const [steady, fault, recovery, drain] = report.phases;
    expect(steady).toMatchObject({ name: 'steady', outputs: 40, latency: { samples: 40, p50Ms: 50, p99Ms: 50, maxMs: 50 } });
    expect(steady!.throughputPerS).toBeCloseTo(10);
    expect(steady!.lag).toEqual({ samples: 4, max: 3, last: 3 });
    expect(fault!.latency).toMatchObject({ samples: 10, p50Ms: 3000 });
    expect(fault!.lag).toEqual({ samples: 1, max: 500, last: 500 });
    expect(recovery!.latency).toMatchObject({ samples: 100, p50Ms: 50, p99Ms: 3000 });
    expect(drain!.latency).toBeNull();
    expect(report.overall.latency).toMatchObject({ samples: 150, maxMs: 3000 });
    expect(report.drain.lastLoadEndUs).toBe(T0_US + 15 * S);
    expect(report.drain.drainMs).toBeCloseTo(50);
  });

  it('measures recovery from heal until p99 (and lag, when asked) are back within thresholds', async () => {
    // after the heal (5 s): [5, 6) no output, [6, 7) fast only, [7, 9) slow outputs arrive, from 9 s all fast
    const report = await run(history(), { recoveryLatencyMs: 1_000 });
    expect(report.recoveries).toEqual([expect.objectContaining({ faultId: 'f1', recoveryMs: 5_000 })]);
    const eager = await run(history(), { recoveryLatencyMs: 1_000, stableBuckets: 1 });
    expect(eager.recoveries[0]!.recoveryMs).toBe(2_000);
    const withLag = await run(history(), { recoveryLatencyMs: 1_000, recoveryLag: 10 });
    expect(withLag.recoveries[0]!.recoveryMs).toBe(5_000); // lag is back at 8 s
    const stricter = await run(history(), { recoveryLatencyMs: 1_000, recoveryLag: 1 });
    expect(stricter.recoveries[0]).toMatchObject({ recoveryMs: null });
  });

  it('falls back to Kafka timestamps without live data, and says so', async () => {
    const report = await run(history(false));
    expect(report.latencySource).toBe('kafka-timestamp');
    expect(report.phases[0]!.latency).toMatchObject({ samples: 40, p50Ms: 40 }); // Kafka ts is 10 ms before visibility here
  });

  it('takes the send time from the sends table when the sp-send-ts header is missing; info sends count too', async () => {
    const h = new SyntheticHistory();
    h.phases.push({ name: 'steady', startUs: T0_US, endUs: T0_US + S });
    const send = h.send({ eventId: 'a', outcome: 'info', invokeUs: T0_US + 1000 });
    h.output(send, { observedUs: T0_US + 21_000, headers: { 'sp-event-id': 'a' } }, 'records-live');
    const report = await run(h);
    expect(report.phases[0]!.latency).toMatchObject({ samples: 1, p50Ms: 20 });
    expect(report.recoveries).toEqual([]);
    expect(report.phases[0]!.lag).toBeNull();
  });

  it('measures an aggregate-only SUT by freshness: from when a window could first close to when its row is seen', async () => {
    // A Spark-like job with only a windowed aggregate (10 s windows, 2 s watermark delay).
    const declared = defineSut({
      name: 'agg-only', command: ['true'],
      topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'w', role: 'aggregate', aggregate: {
        keys: ['ws'], values: ['n'], window: { startColumn: 'ws', sizeMs: 10_000, graceMs: 2_000, watermark: 'global-max-minus-delay' },
        oracle: 'SELECT sp_window_start(sp_event_time_ms, 10000) AS ws, count(*) AS n FROM inputs GROUP BY ALL' } }] },
    });
    const h = new SyntheticHistory();
    h.meta['checker.params'] = { declared };
    h.phases.push({ name: 'steady', startUs: T0_US, endUs: T0_US + 30 * S });
    // One event per second of event time, sent one per second: window [0, 10 s) can close once an event at >= 12 s is sent (at 12 s).
    for (let i = 0; i < 30; i++) h.send({ eventId: `e${i}`, invokeUs: T0_US + i * S, eventTimeMs: T0_MS + i * 1000 });
    h.observe('aggregate-live', { topic: 'w', value: Buffer.from(JSON.stringify({ ws: T0_MS, n: 10 })), observedUs: T0_US + 12 * S + 700_000 });
    h.observe('aggregate-live', { topic: 'w', value: Buffer.from(JSON.stringify({ ws: T0_MS + 10_000, n: 10 })), observedUs: T0_US + 22 * S + 300_000 });
    const report = await run(h);
    expect(report.latencySource).toBe('aggregate-freshness');
    expect(report.phases[0]!.latency).toMatchObject({ samples: 2, p50Ms: 300, maxMs: 700 });
  });
});
