import { describe, expect, it } from 'vitest';
import type { OutputRecord } from './record-diff.ts';
import { shadowDiff, type TopicRecords } from './shadow-diff.ts';

const gold = (partition: number, start: number, region: string, revenue: number, offset: number): OutputRecord => ({
  key: `${partition}|${start}|${region}`,
  value: { partition, window_start_ms: start, window_end_ms: start + 60_000, region, event_count: 3, order_count: 1, revenue_cents: revenue },
  position: offset,
  eventTimeMs: start + 60_000,
});
const silver = (key: string, id: string, offset: number, processedAt = 0): OutputRecord => ({
  key,
  value: { event_id: id, key, event_time_ms: 1000 + id.charCodeAt(0), amount: 12.5, processed_at: processedAt },
  position: offset,
  eventTimeMs: 1000 + id.charCodeAt(0),
});

const topics = (g: OutputRecord[], s: OutputRecord[]): TopicRecords => new Map([['orders.gold.v1', g], ['orders.silver.v1', s]]);

describe('shadowDiff', () => {
  const baseGold = [gold(0, 0, 'eu', 100, 0), gold(0, 60_000, 'eu', 200, 1), gold(1, 0, 'us', 50, 0), gold(1, 120_000, 'us', 70, 2)];
  const baseSilver = [silver('o1', 'a', 0), silver('o1', 'b', 1), silver('o2', 'c', 2)];

  it('finds nothing between identical outputs, and sets aside windows one side had not emitted yet', () => {
    const result = shadowDiff(topics(baseGold, baseSilver), topics(baseGold.slice(0, 3), baseSilver), null);
    expect(result.diff.classes.every((c) => c.count === 0)).toBe(true);
    expect(result.diff.inFlight).toBe(1); // window 120 000 of partition 1: newer than the candidate's last window end
    expect(result.watermarks['orders.gold.v1']).toBe(120_000);
    expect(result.diff.compared).toBe(6);
  });

  it('names the class, the topic, the key and the field of each difference', () => {
    const candidateGold = [gold(0, 0, 'eu', 101, 0), ...baseGold.slice(1)];
    const candidateSilver = [silver('o1', 'b', 0), silver('o1', 'a', 1), silver('o2', 'c', 2)];
    const { diff } = shadowDiff(topics(baseGold, baseSilver), topics(candidateGold, candidateSilver), null);
    const changed = diff.classes.find((c) => c.class === 'changed')!;
    expect(changed.count).toBe(1);
    expect(changed.examples[0]!.key).toBe('orders.gold.v1 0|0|eu');
    expect(changed.examples[0]!.fields).toEqual(['orders.gold.v1:revenue_cents']);
    const order = diff.classes.find((c) => c.class === 'out-of-order')!;
    expect(order.count).toBe(1);
    expect(order.examples[0]!.key).toBe('orders.silver.v1 o1');
  });

  it('learns noise from an A/A copy and leaves it out, reported with its rate', () => {
    const aa = topics(baseGold, baseSilver.map((r) => silver(r.key!, (r.value as { event_id: string }).event_id, r.position, 99)));
    const candidate = topics(baseGold, baseSilver.map((r) => silver(r.key!, (r.value as { event_id: string }).event_id, r.position, 7)));
    const withoutAa = shadowDiff(topics(baseGold, baseSilver), candidate, null);
    expect(withoutAa.diff.classes.find((c) => c.class === 'changed')!.count).toBe(3);
    const { diff, calibration } = shadowDiff(topics(baseGold, baseSilver), candidate, aa);
    expect(diff.classes.every((c) => c.count === 0)).toBe(true);
    expect(diff.noise).toEqual([{ field: 'orders.silver.v1:processed_at', rate: 1 }]);
    expect(calibration!.compared).toBe(7);
  });
});
