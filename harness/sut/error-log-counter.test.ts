import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from '../history/history-reader.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { ERROR_LINES_METRIC, ErrorLineCounter, startErrorLogCounter } from './error-log-counter.ts';

const tempDir = useTempDir();
const lines = (...text: string[]) => Buffer.from(text.map((t) => `${t}\n`).join(''));

describe('ErrorLineCounter', () => {
  it('counts the usual error lines by default, and not names or counters that contain the words', () => {
    const counter = new ErrorLineCounter();
    const errors = [
      '{"level":"ERROR","timestamp":"2026-11-21T14:44:35.190Z","logger":"kafkajs","message":"[Connection] Connection error: read ECONNRESET"}',
      '[pipeline 2026-11-21T14:44:35.190Z] batch 1@40-41 failed: cannot process t/1/40: malformed-json',
      '[pipeline 2026-11-21T14:44:35.190Z] consumer crashed: The coordinator is not aware of this member (restart: true)',
      '2026-11-21 14:44:35 ERROR [kafka-producer-network-thread] Sender - unexpected',
      'Exception in thread "main" java.lang.IllegalStateException: closed',
      'Error: listen EADDRINUSE',
      'panic: runtime error: index out of range',
    ];
    const quiet = [
      '[pipeline 2026-11-21T14:44:35.190Z] ready: instance 0 joined group reference-poison-crash-loop-x with partitions [0,1] (exactly-once)',
      'processed 120 records, errors=0',
      '{"level":"WARN","message":"TypeError-like name: KafkaJSNonRetriableError ignored"}',
      '[pipeline 2026-11-21T14:44:35.190Z] SIGTERM: stopping',
    ];
    expect(counter.add(lines(...errors, ...quiet))).toBe(errors.length);
  });

  it('counts a line split across two reads once, when it is complete', () => {
    const counter = new ErrorLineCounter('^E ');
    expect(counter.add(Buffer.from('E one\nE tw'))).toBe(1);
    expect(counter.add(Buffer.from('o\nok\n'))).toBe(1);
    expect(counter.add(Buffer.from('E three'))).toBe(0);
    expect(counter.add(Buffer.from('\n'))).toBe(1);
  });
});

describe('startErrorLogCounter', () => {
  it('records the error lines each read found per instance, zeros included, from its start on', async () => {
    const dir = tempDir();
    const logs = [0, 1].map((instance) => ({ instance, file: join(dir, `sut-${instance}.log`) }));
    writeFileSync(logs[0]!.file, lines('ERROR before the start'));
    const path = join(dir, 'history.duckdb');
    const history = await HistoryWriter.open(path);
    const counter = await startErrorLogCounter({ logs: () => logs, side: 'candidate', history, intervalMs: 20 });
    appendFileSync(logs[0]!.file, lines('ERROR one', 'fine', 'ERROR two', 'ERROR not yet a whole li'));
    appendFileSync(logs[1]!.file, lines('fine'));
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(logs[0]!.file, 'ne\n');
    await counter.stop();
    await history.close();
    const reader = await HistoryReader.open(path);
    try {
      const rows = await reader.metrics(ERROR_LINES_METRIC);
      const total = (instance: string) => rows.filter((r) => r.labels?.instance === instance).reduce((sum, r) => sum + r.value, 0);
      expect(total('0')).toBe(3);
      expect(total('1')).toBe(0);
      expect(rows.filter((r) => r.labels?.instance === '1').length).toBeGreaterThan(1);
      expect(new Set(rows.map((r) => r.labels?.side))).toEqual(new Set(['candidate']));
    } finally {
      await reader.close();
    }
  });
});
