import { describe, expect, it } from 'vitest';
import { OutputSignal } from './output-signal.ts';

describe('OutputSignal', () => {
  it('wakes every waiter at the next record, and only records after the wait began count', async () => {
    const signal = new OutputSignal();
    signal.notify(); // before anyone waits: not remembered
    const first = signal.next(5_000);
    const second = signal.next(5_000);
    setTimeout(() => signal.notify(), 20);
    expect(await Promise.all([first, second])).toEqual([true, true]);
  });

  it('gives up after the timeout or when aborted', async () => {
    const signal = new OutputSignal();
    expect(await signal.next(30)).toBe(false);
    const abort = new AbortController();
    const waiting = signal.next(5_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
    signal.notify(); // nobody left waiting
  });
});
