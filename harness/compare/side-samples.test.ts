import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { readOutputRecords } from './output-records.ts';
import { ERROR_LINES_METRIC } from '../sut/error-log-counter.ts';
import { PARTITION_LAG_METRIC } from './partition-sampler.ts';
import { readSideSamples } from './side-samples.ts';

const tempDir = useTempDir();
const S = 1_000_000; // one second in µs
const T0 = 1_700_000_000 * S;

/**
 * A canary history: partition 0 owned by the baseline throughout, partition 1 by the
 * candidate until 10 s, then (after its crash) by the baseline.
 */
async function canaryHistory(): Promise<string> {
  const path = join(tempDir(), 'history.duckdb');
  const w = await HistoryWriter.open(path);
  await w.recordPhase({ name: 'steady', startUs: T0 });
  await w.recordPhaseEnd('steady', T0 + 20 * S);
  for (let s = 0; s < 20; s++) {
    w.recordMetric({ tsUs: T0 + s * S, name: PARTITION_LAG_METRIC, labels: { partition: '0', side: 'baseline', client: 'b-0' }, value: 1 });
    w.recordMetric({ tsUs: T0 + s * S, name: PARTITION_LAG_METRIC, labels: { partition: '1', side: s < 10 ? 'candidate' : 'baseline', client: s < 10 ? 'c-0' : 'b-0' }, value: s < 10 ? 100 : 2 });
  }
  // Error lines read twice a second per instance: the candidate's logs 2 a second for its first 5 s.
  for (let half = 0; half < 40; half++) {
    const tsUs = T0 + (half * S) / 2 + 1000;
    w.recordMetric({ tsUs, name: ERROR_LINES_METRIC, labels: { side: 'baseline', instance: '0' }, value: 0 });
    w.recordMetric({ tsUs, name: ERROR_LINES_METRIC, labels: { side: 'candidate', instance: '0' }, value: half < 10 ? 1 : 0 });
  }
  w.recordMetric({ tsUs: T0 + 25 * S, name: ERROR_LINES_METRIC, labels: { side: 'baseline', instance: '0' }, value: 7 }); // in the drain: not counted
  let offset = 0;
  for (let s = 0; s < 20; s++) {
    // Partition 0: 50 ms latency; partition 1: 250 ms while the candidate owns it.
    for (const partition of [0, 1]) {
      const sendUs = T0 + s * S;
      const latencyUs = partition === 1 && s < 10 ? 250_000 : 50_000;
      w.recordSend({ sendId: offset, eventId: `e${offset}`, topic: 'run.orders.raw.v1', partition, offset: s, outcome: 'ok', invokeUs: sendUs, completeUs: sendUs + 1000, value: Buffer.from('{}'), truth: 'valid' });
      w.recordObserved({ role: 'records-live', topic: 'run.orders.silver.v1', partition, offset: offset++, key: 'k', value: Buffer.from('{}'), headers: { 'sp-send-ts': String(sendUs) }, observedUs: sendUs + latencyUs });
    }
  }
  w.recordObserved({ role: 'aggregate', topic: 'run.orders.gold.v1', partition: 1, offset: 0, key: '1|0|eu', value: Buffer.from('{"window_end_ms":60000,"revenue_cents":5}'), observedUs: T0 });
  w.recordObserved({ role: 'dlq', topic: 'run.orders.dlq.v1', partition: 1, offset: 0, key: null, value: Buffer.from('not json'), headers: { 'sp-event-id': 'e9', 'sp-dlq-reason': 'malformed-json' }, observedUs: T0, kafkaTsMs: T0 / 1000 });
  await w.close();
  return path;
}

describe('readSideSamples', () => {
  it('attributes each partition to the side that owned it at the time', async () => {
    const reader = await HistoryReader.open(await canaryHistory());
    try {
      const samples = await readSideSamples(reader, { bucketMs: 5000, caughtUpLag: 5 });
      const baseline = samples.get('baseline')!;
      const candidate = samples.get('candidate')!;
      expect(candidate.latencyMs).toHaveLength(10);
      expect(new Set(candidate.latencyMs)).toEqual(new Set([250]));
      expect(baseline.latencyMs).toHaveLength(30);
      expect(candidate.lag).toEqual(Array(10).fill(100));
      // 4 buckets of 5 s: partition 1's first two belong to the candidate (one output per input).
      expect(candidate.throughput).toEqual([1, 1]);
      expect(baseline.throughput).toHaveLength(6);
      // The DLQ record at T0 on partition 1 falls in the candidate's first bucket.
      expect(candidate.dlqRate).toEqual([0.2, 0]);
      // Error lines per second, one value per instance and second of the load.
      expect(candidate.errorRate).toEqual([...Array(5).fill(2), ...Array(15).fill(0)]);
      expect(baseline.errorRate).toEqual(Array(20).fill(0));
      // Without a caught-up level, partition 1's lag of 2 after the takeover is still the candidate's backlog.
      const strict = await readSideSamples(reader, { bucketMs: 5000 });
      expect(strict.get('candidate')!.lag).toHaveLength(20);
    } finally {
      await reader.close();
    }
  });

  it('reads outputs per described topic, keyed and positioned for the diff', async () => {
    const reader = await HistoryReader.open(await canaryHistory());
    try {
      const records = await readOutputRecords(reader, 'run.');
      expect([...records.keys()].sort()).toEqual(['orders.dlq.v1', 'orders.gold.v1']);
      expect(records.get('orders.gold.v1')).toEqual([{ key: '1|0|eu', value: { window_end_ms: 60000, revenue_cents: 5 }, position: 0, eventTimeMs: 60000 }]);
      expect(records.get('orders.dlq.v1')![0]).toMatchObject({ key: 'e9', value: { value: 'not json', reason: 'malformed-json' } });
    } finally {
      await reader.close();
    }
  });
});
