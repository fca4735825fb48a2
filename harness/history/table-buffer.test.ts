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

describe('TableBuffer', () => {
  it('holds rows until flush, then appends and commits them once', () => {
    const fake = fakeAppender(false);
    const buffer = new TableBuffer<number>('t', fake.asAppender, (a, row) => a.appendInteger(row));
    buffer.push(1);
    buffer.push(2);
    expect([buffer.bufferedRows, fake.appended]).toEqual([2, []]);
    expect(buffer.flush()).toBe(2);
    expect(buffer.flush()).toBe(0);
    expect(fake.appender.flushSync).toHaveBeenCalledTimes(1);
    expect([buffer.bufferedRows, buffer.committedRows, fake.appended]).toEqual([0, 2, [1, 2]]);
  });

  it('drops a batch that fails to commit and says so with HISTORY_FAILED', () => {
    const fake = fakeAppender(true);
    const buffer = new TableBuffer<number>('sends', fake.asAppender, (a, row) => a.appendInteger(row));
    buffer.push(7);
    expect(() => buffer.flush()).toThrow(
      expect.objectContaining({ code: 'HISTORY_FAILED', message: 'could not append 1 rows to sends: IO Error: No space left on device' }),
    );
    expect(fake.appender.clear).toHaveBeenCalled();
    expect([buffer.bufferedRows, buffer.committedRows]).toEqual([0, 0]);
  });
});
