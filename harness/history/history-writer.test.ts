import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { HistoryReader } from './history-reader.ts';
import type { SendInput } from './history-rows.ts';
import { SCHEMA_VERSION } from './history-schema.ts';
import { HistoryWriter } from './history-writer.ts';
import { sampleMetric, sampleObserved, sampleSend } from './testing/sample-rows.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();

async function read<T>(path: string, fn: (reader: HistoryReader) => Promise<T>): Promise<T> {
  const reader = await HistoryReader.open(path);
  try {
    return await fn(reader);
  } finally {
    reader.close();
  }
}

describe('HistoryWriter', () => {
  it('round-trips every table', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    const sends = Array.from({ length: 120 }, (_, i) => sampleSend(i, 100));
    const observed = Array.from({ length: 40 }, (_, i) => sampleObserved(i));
    const metrics = Array.from({ length: 6 }, (_, i) => sampleMetric(i));
    sends.forEach((row) => writer.recordSend(row));
    observed.forEach((row) => writer.recordObserved(row));
    metrics.forEach((row) => writer.recordMetric(row));
    await writer.recordFaultStart({ faultId: 'f1', type: 'broker.kill', target: 'broker-1', attrs: { signal: 'KILL' }, startUs: 10 });
    await writer.recordFaultStart({ faultId: 'f2', type: 'net.latency', target: 'link-2', startUs: 20 });
    await writer.recordFaultHeal('f1', 15);
    await writer.recordFaultHeal('f2', 25, 'toxiproxy unreachable');
    await writer.recordPhase({ name: 'steady', startUs: 1, endUs: 9 });
    await writer.recordPhase({ name: 'fault', startUs: 10 });
    await writer.recordPhaseEnd('fault', 30);
    await writer.setMeta('scenario', 'broker-kill');
    await writer.setMeta('seed', 42);
    await writer.setMeta('seed', 43);
    await writer.setMeta('versions', { kafka: '4.1.0', node: process.version });
    await writer.recordSummary('k6', { metrics: { iterations: { count: 10 } } });
    await writer.close();

    await read(path, async (reader) => {
      const gotSends = await reader.sends();
      expect(gotSends).toEqual(
        sends.map((s) => ({ ...s, value: Buffer.from(s.value), truthDetail: s.truthDetail ?? null })),
      );
      expect(gotSends[0]!.value).toBeInstanceOf(Buffer);
      expect(typeof gotSends[0]!.invokeUs).toBe('number');
      const byPosition = (a: { observedUs: number }, b: { observedUs: number }) => a.observedUs - b.observedUs;
      expect(await reader.observed()).toEqual(
        [...observed].sort(byPosition).map((o) => ({
          ...o,
          value: o.value ? Buffer.from(o.value) : null,
          headers: o.headers ?? null,
        })),
      );
      expect((await reader.observed('dlq')).map((o) => o.offset)).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
      expect(await reader.metrics()).toEqual(metrics.map((m) => ({ ...m, labels: m.labels ?? null })));
      expect((await reader.metrics('lag')).length).toBe(3);
      expect(await reader.faults()).toEqual([
        { faultId: 'f1', type: 'broker.kill', target: 'broker-1', attrs: { signal: 'KILL' }, startUs: 10, healUs: 15, error: null },
        { faultId: 'f2', type: 'net.latency', target: 'link-2', attrs: null, startUs: 20, healUs: 25, error: 'toxiproxy unreachable' },
      ]);
      expect(await reader.phases()).toEqual([
        { name: 'steady', startUs: 1, endUs: 9 },
        { name: 'fault', startUs: 10, endUs: 30 },
      ]);
      expect(await reader.meta()).toEqual({
        'history.schema_version': SCHEMA_VERSION,
        scenario: 'broker-kill',
        seed: 43,
        versions: { kafka: '4.1.0', node: process.version },
      });
      expect(await reader.summaries('k6')).toEqual([{ source: 'k6', body: { metrics: { iterations: { count: 10 } } } }]);
    });
  });

  it('opens an existing file again without losing or changing anything', async () => {
    const path = join(tempDir(), 'nested', 'dir', 'history.duckdb');
    for (let round = 0; round < 3; round++) {
      const writer = await HistoryWriter.open(path);
      for (let i = 0; i < 10; i++) writer.recordSend(sampleSend(round * 10 + i, 16));
      await writer.setMeta(`round.${round}`, round);
      await writer.close();
    }
    await read(path, async (reader) => {
      expect((await reader.sends()).map((s) => s.sendId)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      const meta = await reader.meta();
      expect(meta['history.schema_version']).toBe(SCHEMA_VERSION);
      expect(Object.keys(meta)).toHaveLength(4);
    });
  });

  it('flushes on its timer and reports each flush', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const flushed: number[] = [];
    const writer = await HistoryWriter.open(path, {
      flushIntervalMs: 10,
      onFlush: (stats) => flushed.push(stats.committed.sends),
    });
    writer.recordSend(sampleSend(0));
    writer.recordSend(sampleSend(1));
    expect(writer.stats().buffered.sends).toBe(2);
    await expect.poll(() => flushed).toEqual([2]);
    expect(writer.stats()).toMatchObject({ committed: { sends: 2 }, buffered: { sends: 0 }, flushes: 1 });
    await writer.close();
  });

  it('commits one batch at a time when flushes overlap', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const writer = await HistoryWriter.open(path, { flushIntervalMs: 1 });
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      writer.recordSend(sampleSend(i, 16));
      if (i % 50 === 49) flushes.push(writer.flush());
    }
    await Promise.all(flushes);
    expect(writer.stats()).toMatchObject({ committed: { sends: 300 }, buffered: { sends: 0 } });
    await writer.close();
    await read(path, async (reader) => expect((await reader.sends()).map((s) => s.sendId)).toEqual(Array.from({ length: 300 }, (_, i) => i)));
  });

  it('checkpoints in the background once the WAL is large', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const writer = await HistoryWriter.open(path, { checkpointWalBytes: 64 * 1024 });
    for (let i = 0; i < 500; i++) writer.recordSend(sampleSend(i)); // journalled: no WAL
    for (let i = 0; i < 500; i++) writer.recordObserved({ ...sampleObserved(i), value: sampleSend(i).value });
    await writer.flush();
    await writer.flush(); // waits for the checkpoint the first flush started
    expect(writer.stats().checkpoints).toBe(1);
    await writer.close();
    await read(path, async (reader) => expect((await reader.sends()).length).toBe(500));
  });

  it('rejects bad rows at once, naming the field', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    const bad = (patch: Partial<Record<keyof SendInput, unknown>>) => () =>
      writer.recordSend({ ...sampleSend(0), ...patch } as SendInput);
    expect(bad({ outcome: 'maybe' })).toThrow(/sends\.outcome must be one of ok\|fail\|info/);
    expect(bad({ offset: null })).toThrow(/sends\.partition\/offset must be set when outcome is 'ok'/);
    expect(bad({ sendId: 1.5 })).toThrow(/sends\.sendId must be a safe integer/);
    expect(bad({ value: 'text' })).toThrow(/sends\.value must be a Uint8Array/);
    expect(bad({ truthDetail: { n: 1n } })).toThrow(/sends\.truthDetail is not JSON-serialisable/);
    expect(() => writer.recordObserved({ ...sampleObserved(1), partition: 2 ** 31 })).toThrow(HarnessError);
    expect(() => writer.recordMetric({ ...sampleMetric(1), value: Number.NaN })).toThrow(/metrics\.value/);
    await expect(writer.recordFaultHeal('nope', 1)).rejects.toThrow(/no open fault "nope"/);
    await expect(writer.recordPhaseEnd('nope', 1)).rejects.toThrow(/no open phase "nope"/);
    expect(writer.stats().buffered).toEqual({ sends: 0, observed: 0, metrics: 0 });
    await writer.close();
  });

  it('allows one writer per file and no reader while it is open', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const writer = await HistoryWriter.open(path);
    await expect(HistoryWriter.open(path)).rejects.toThrow(/already open/);
    await expect(HistoryReader.open(path)).rejects.toThrow(/close the history writer/);
    await writer.close();
    await writer.close(); // idempotent
    expect(() => writer.recordSend(sampleSend(0))).toThrow(/closed/);
    const again = await HistoryWriter.open(path);
    await again.close();
  });

  it('fails for good when a timed flush fails, reporting it and still releasing the file', async () => {
    const path = join(tempDir(), 'history.duckdb');
    const errors: HarnessError[] = [];
    const writer = await HistoryWriter.open(path, { flushIntervalMs: 10, onError: (error) => errors.push(error) });
    const broken = new HarnessError('HISTORY_FAILED', 'could not append 1 rows to sends: disk full');
    (writer as unknown as { sends: { flush: () => number } }).sends.flush = () => {
      throw broken;
    };
    writer.recordSend(sampleSend(0));
    await expect.poll(() => errors).toEqual([broken]);
    expect(() => writer.recordSend(sampleSend(1))).toThrow(broken);
    await expect(writer.setMeta('k', 1)).rejects.toThrow(broken);
    await expect(writer.close()).rejects.toThrow(broken);
    const again = await HistoryWriter.open(path);
    await again.close();
  });

  it('fails fast on bad options', async () => {
    const path = join(tempDir(), 'history.duckdb');
    await expect(HistoryWriter.open(path, { flushIntervalMs: 0 })).rejects.toMatchObject({ code: 'HISTORY_FAILED' });
    await expect(HistoryWriter.open(path, { checkpointWalBytes: -1 })).rejects.toThrow(/checkpointWalBytes/);
  });
});
