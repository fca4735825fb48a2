import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryReader } from '../harness/history/history-reader.ts';
import { bucketWidthMs, readTimeSeries, type TimeSeries } from './time-series.ts';
import { writeSampleRun } from './testing/sample-run.ts';

let root: string;
let series: TimeSeries;

// The sample run sends 40/s for 35 s; its SUT crash (17 s..22 s) delays outputs and builds lag.
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'streamproof-series-'));
  await writeSampleRun(join(root, 'run'), { rate: 40, faultLatencyMs: 3000 });
  const reader = await HistoryReader.open(join(root, 'run', 'history.duckdb'));
  try {
    series = await readTimeSeries(reader);
  } finally {
    reader.close();
  }
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readTimeSeries', () => {
  it('counts sends per second from the run start', () => {
    expect(series.bucketMs).toBe(1000);
    const sending = series.throughput.filter((p) => p.t < 35);
    expect(sending).toHaveLength(35);
    expect(sending.every((p) => p.sends === 40)).toBe(true);
    expect(series.throughput.reduce((n, p) => n + p.outputs, 0)).toBe(35 * 40);
  });

  it('latency rises in the fault window and is low elsewhere', () => {
    const inFault = series.latency.filter((p) => p.t >= 17 && p.t < 23);
    const outside = series.latency.filter((p) => p.t < 16 || p.t > 24);
    expect(Math.max(...inFault.map((p) => p.p99))).toBeGreaterThan(2000);
    expect(Math.max(...outside.map((p) => p.p99))).toBeLessThan(300);
    expect(series.latency.every((p) => p.p50 <= p.p95 && p.p95 <= p.p99)).toBe(true);
  });

  it('lag peaks during the fault', () => {
    const peak = series.lag.reduce((a, b) => (b.lag > a.lag ? b : a));
    expect(peak.t).toBeGreaterThanOrEqual(17);
    expect(peak.t).toBeLessThan(22);
  });

  it('widens buckets so a long run has at most 600 points', () => {
    expect(bucketWidthMs(60 * 1e6)).toBe(1000);
    expect(bucketWidthMs(3600 * 1e6)).toBe(6000);
    expect(3600 / (bucketWidthMs(3600 * 1e6) / 1000)).toBeLessThanOrEqual(600);
  });
});
