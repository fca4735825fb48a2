import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEvents } from '../../generators/generate-events.ts';
import { kafkaPartition } from '../../generators/murmur2.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { useTempDir } from '../history/testing/temp-dir.ts';
import type { PendingSend } from './partition-batcher.ts';
import { runWorkload } from './run-workload.ts';
import type { BatchOutcome } from './send-pipeline.ts';
import type { WorkloadClock } from './workload-clock.ts';
import type { WorkloadTransport } from './workload-options.ts';

const tempDir = useTempDir();

/** Perfect timers, but every sleep lets pending promises (the fake broker's answers) run. */
function fakeClock(): WorkloadClock {
  let now = 0;
  return { nowMs: () => now, sleep: (ms) => new Promise((resolve) => setImmediate(() => ((now += ms), resolve()))) };
}

/** A broker in memory: appends each batch at the partition's end; refuses records over 2 KB. */
function fakeBroker(partitions = 3, options: { hang?: number } = {}) {
  const logs = new Map<number, PendingSend[]>();
  const transport: WorkloadTransport = {
    partitionOf: (key) => kafkaPartition(key, partitions),
    send: async (partition, sends): Promise<BatchOutcome> => {
      if (partition === options.hang) return new Promise(() => undefined);
      if (sends.some((s) => s.record.value.length > 2048)) return { outcome: 'fail', error: 'KafkaJSProtocolError MESSAGE_TOO_LARGE' };
      const log = logs.get(partition) ?? [];
      logs.set(partition, log);
      const baseOffset = log.length;
      log.push(...sends);
      return { outcome: 'ok', baseOffset };
    },
    close: async () => undefined,
  };
  return { transport, logs };
}

describe('runWorkload (fake transport)', () => {
  it('records one row per send with its outcome, offsets as the broker assigned them, and metrics', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const history = await HistoryWriter.open(path);
    const events = collectEvents({ domain: 'orders', seed: 3, count: 300, poisonFraction: 0.05, poisonKinds: ['oversized'], oversizedBytes: 4096 });
    const { transport, logs } = fakeBroker();
    // soloBytes below the fake broker's limit: an oversized record fails alone, not with its batch.
    const summary = await runWorkload({ transport, topic: 'orders', events, rate: { kind: 'constant', rate: 1000 }, history, clock: fakeClock(), soloBytes: 2000 });
    await history.close();

    const poison = events.filter((e) => e.truth.kind === 'poison').length;
    expect(poison).toBeGreaterThan(0);
    expect(summary).toMatchObject({ sent: 300, ok: 300 - poison, fail: poison, info: 0, missed: 0, abandoned: 0, end: 'source' });
    expect(summary.durationMs).toBeCloseTo(299 + 5, -1);

    const reader = await HistoryReader.open(path);
    try {
      const rows = await reader.sends();
      expect(rows.map((r) => r.sendId)).toEqual(events.map((_, i) => i));
      expect(rows.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
      for (const row of rows) {
        const event = events[row.sendId]!;
        expect(row.value.equals(event.value)).toBe(true);
        expect(row.truth).toBe(event.truth.kind);
        expect(row.completeUs).toBeGreaterThanOrEqual(row.invokeUs);
        if (row.outcome === 'ok') {
          expect(logs.get(row.partition!)![row.offset!]!.record.eventId).toBe(row.eventId);
        } else {
          expect(row).toMatchObject({ outcome: 'fail', partition: null, offset: null, error: expect.stringContaining('MESSAGE_TOO_LARGE') });
        }
      }
      const ok = (await reader.metrics('sends.ok')).at(-1);
      expect(ok).toMatchObject({ value: 300 - poison, labels: { topic: 'orders' } });
      expect((await reader.metrics('send.rate.target')).at(-1)?.value).toBe(1000);
    } finally {
      reader.close();
    }
  });

  it('records sends still out when the drain times out as info, without a completion time', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const history = await HistoryWriter.open(path);
    const events = collectEvents({ domain: 'iot', seed: 5, count: 50 });
    const { transport } = fakeBroker(2, { hang: 1 });
    const hung = events.filter((e) => kafkaPartition(e.key, 2) === 1).length;
    const summary = await runWorkload({ transport, topic: 'iot', events, rate: { kind: 'constant', rate: 5000 }, history, clock: fakeClock(), drainTimeoutMs: 50 });
    await history.close();
    expect(summary).toMatchObject({ sent: 50, ok: 50 - hung, info: hung, abandoned: hung });
    const reader = await HistoryReader.open(path);
    try {
      const info = (await reader.sends()).filter((r) => r.outcome === 'info');
      expect(info).toHaveLength(hung);
      expect(info.every((r) => r.completeUs === null && /drainTimeoutMs/.test(r.error!))).toBe(true);
    } finally {
      reader.close();
    }
  });

  it('counts arrivals beyond maxInFlight as missed and sends every pulled event once', async () => {
    const { transport } = fakeBroker(1, { hang: 0 });
    const events = collectEvents({ domain: 'clickstream', seed: 1, count: 1000 });
    const summary = await runWorkload({ transport, topic: 't', events, rate: { kind: 'constant', rate: 1000 }, durationMs: 100, maxInFlight: 20, clock: fakeClock(), drainTimeoutMs: 1 });
    expect(summary).toMatchObject({ sent: 20, missed: 80, abandoned: 20, end: 'duration' });
  });

  it('rejects bad options before connecting', async () => {
    const { transport } = fakeBroker();
    const base = { transport, topic: 't', events: [], rate: { kind: 'constant', rate: 10 } } as const;
    await expect(runWorkload({ ...base, acks: 1 })).rejects.toThrow(/'acks' must be -1 for an idempotent producer/);
    await expect(runWorkload({ ...base, acks: 2 as never, idempotent: false })).rejects.toThrow(/'acks' must be -1, 0 or 1/);
    await expect(runWorkload({ ...base, events: (function* () {})() })).rejects.toThrow(/'durationMs' or count/);
    await expect(runWorkload({ ...base, clientSettings: { brokers: ['x:1'] } })).rejects.toThrow(/exactly one of cluster, clientSettings/);
    await expect(runWorkload({ ...base, maxInFlight: 0 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', context: { option: 'maxInFlight' } });
    await expect(runWorkload({ ...base, topic: '' })).rejects.toThrow(/'topic'/);
  });
});
