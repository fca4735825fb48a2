import { describe, expect, it } from 'vitest';
import { MerchantWindows } from './merchant-windows.ts';

const T = Date.UTC(2026, 0, 1); // a window boundary
const windows = () => new MerchantWindows({ sizeMs: 60_000, graceMs: 5_000 });

describe('MerchantWindows', () => {
  it('sums per merchant and epoch-aligned window, and emits a window once the watermark (max − grace) reaches its end', () => {
    const w = windows();
    expect(w.add('m1', T + 1_000, 758)).toEqual([]);
    expect(w.add('m1', T + 59_999, 4800)).toEqual([]);
    expect(w.add('m2', T + 30_000, 100)).toEqual([]);
    expect(w.add('m1', T + 64_999, 1)).toEqual([]); // watermark T+59 999: not yet
    expect(w.watermarkMs).toBe(T + 59_999);
    expect(w.add('m2', T + 65_000, 2)).toEqual([
      { merchant_id: 'm1', window_start_ms: T, window_end_ms: T + 60_000, payments: 2, amount_total_cents: 5558 },
      { merchant_id: 'm2', window_start_ms: T, window_end_ms: T + 60_000, payments: 1, amount_total_cents: 100 },
    ]);
    expect(w.openCount).toBe(2); // the second window of m1 and m2
  });

  it('counts disordered events within the grace, and calls an event of a closed window late', () => {
    const w = windows();
    w.add('m1', T + 62_000, 1);
    expect(w.add('m1', T + 58_000, 1)).toEqual([]); // watermark T+57 000: its window is open
    expect(w.add('m1', T + 70_000, 1)).toHaveLength(1);
    expect(w.add('m1', T + 59_999, 1)).toBe('late');
    expect(w.add('m1', T + 60_000, 1)).toEqual([]); // the next window is still open
  });

  it('does not let a late event move the watermark or open its window again', () => {
    const w = windows();
    w.add('m1', T + 130_000, 1);
    expect(w.add('m9', T + 1_000, 1)).toBe('late');
    expect(w.openCount).toBe(1);
    expect(w.watermarkMs).toBe(T + 125_000);
  });

  it('flushes every open window at the end of the input; their later events are late, later windows are not', () => {
    const w = windows();
    w.add('m1', T + 10_000, 5);
    w.add('m2', T + 64_000, 7); // watermark T+59 000: both windows still open
    expect(w.flush().map((x) => [x.merchant_id, x.window_start_ms])).toEqual([['m1', T], ['m2', T + 60_000]]);
    expect(w.flush()).toEqual([]);
    expect(w.add('m1', T + 119_999, 1)).toBe('late');
    expect(w.add('m1', T + 120_000, 1)).toEqual([]);
  });

  it('rolls back to a snapshot (a transaction that did not commit)', () => {
    const w = windows();
    w.add('m1', T + 1_000, 5);
    const before = w.snapshot();
    w.add('m1', T + 2_000, 5);
    w.add('m1', T + 90_000, 5);
    w.restore(before);
    expect(w.watermarkMs).toBe(T - 4_000);
    expect(w.flush()).toEqual([{ merchant_id: 'm1', window_start_ms: T, window_end_ms: T + 60_000, payments: 1, amount_total_cents: 5 }]);
  });
});
