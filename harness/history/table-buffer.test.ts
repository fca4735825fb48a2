import type { DuckDBAppender } from '@duckdb/node-api';
import { describe, expect, it, vi } from 'vitest';
import { TableBuffer } from './table-buffer.ts';

function fakeAppender(failOnFlush: boolean) {
  const appended: number[] = [];
  const appender = {
    appendInteger: (value: number) => appended.push(value),
    flushSync: vi.fn(() => {
      if (failOnFlush) throw new Error('IO Error: No space left on device');
    }),
    clear: vi.fn(),
    closeSync: vi.fn(),
  };
  return { appender, appended, asAppender: appender as unknown as DuckDBAppender };
}

const writeInts = (a: DuckDBAppender, rows: readonly number[]) => rows.forEach((row) => a.appendInteger(row));

describe('TableBuffer', () => {
  it('holds rows until flush, appends them once, and counts them committed when settled', async () => {
    const fake = fakeAppender(false);
    const buffer = new TableBuffer<number>('t', fake.asAppender, writeInts);
    buffer.push(1);
    buffer.push(2);
    expect([buffer.bufferedRows, fake.appended]).toEqual([2, []]);
    expect(await buffer.take()).toBe(2);
    buffer.push(3); // waits for the next batch
    expect(buffer.flush()).toBe(2);
    expect(fake.appender.flushSync).toHaveBeenCalledTimes(1);
    expect([buffer.bufferedRows, buffer.committedRows, fake.appended]).toEqual([3, 0, [1, 2]]);
    buffer.settle(true);
    expect([buffer.bufferedRows, buffer.committedRows]).toEqual([1, 2]);
    expect(buffer.flush(), 'the settled batch is not appended again').toBe(0);
  });

  it('forgets a batch whose transaction rolled back', async () => {
    const fake = fakeAppender(false);
    const buffer = new TableBuffer<number>('t', fake.asAppender, writeInts);
    buffer.push(1);
    await buffer.take();
    buffer.flush();
    buffer.settle(false);
    expect([buffer.bufferedRows, buffer.committedRows]).toEqual([0, 0]);
  });

  it('drops a batch that fails to append and says so with HISTORY_FAILED', async () => {
    const fake = fakeAppender(true);
    const buffer = new TableBuffer<number>('sends', fake.asAppender, writeInts);
    buffer.push(7);
    await buffer.take();
    expect(() => buffer.flush()).toThrow(
      expect.objectContaining({ code: 'HISTORY_FAILED', message: 'could not append 1 rows to sends: IO Error: No space left on device' }),
    );
    expect(fake.appender.clear).toHaveBeenCalled();
    expect([buffer.bufferedRows, buffer.committedRows]).toEqual([0, 0]);
  });
});
