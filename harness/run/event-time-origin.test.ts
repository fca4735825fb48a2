import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../generators/generate-events.ts';
import { EVENT_TIME_ORIGIN_MAX_OFFSET_MS, eventTimeNow, eventTimeOrigin } from './event-time-origin.ts';

const START = Date.parse('2026-12-02T06:17:42.345Z');

describe('eventTimeOrigin', () => {
  it('is the start minute minus a whole number of seconds below three minutes', () => {
    for (let seed = 0; seed < 200; seed++) {
      const origin = eventTimeOrigin(START, seed);
      const minute = Date.parse('2026-12-02T06:17:00Z');
      expect(origin).toBeLessThanOrEqual(minute);
      expect(minute - origin).toBeLessThan(EVENT_TIME_ORIGIN_MAX_OFFSET_MS);
      expect(origin % 1000).toBe(0);
    }
  });

  it('depends only on the seed and the start minute', () => {
    expect(eventTimeOrigin(START, 7)).toBe(eventTimeOrigin(Date.parse('2026-12-02T06:17:00Z'), 7));
    expect(eventTimeOrigin(START, 7)).toBe(eventTimeOrigin(Date.parse('2026-12-02T06:17:59.999Z'), 7));
    const offsets = new Set(Array.from({ length: 50 }, (_, seed) => eventTimeOrigin(START, seed)));
    expect(offsets.size).toBeGreaterThan(20);
  });

  it('a replay with the recorded origin regenerates the same bytes; another origin does not', () => {
    const origin = eventTimeOrigin(START, 7);
    const gen = (startTimeMs: number) => [...generateEvents({ domain: 'orders', seed: 7, count: 50, startTimeMs, eventsPerSecond: 20 })];
    const a = gen(origin);
    const b = gen(origin);
    expect(b.map((r) => Buffer.from(r.value).toString('base64'))).toEqual(a.map((r) => Buffer.from(r.value).toString('base64')));
    expect(a[0]!.eventTimeMs).toBeGreaterThan(origin - 5_000);
    expect(a[0]!.eventTimeMs).toBeLessThanOrEqual(origin);
    expect(gen(origin + 1000).map((r) => r.eventTimeMs)).not.toEqual(a.map((r) => r.eventTimeMs));
  });
});

describe('eventTimeNow', () => {
  it('is the high-water mark once the workload has sent, else the origin', () => {
    expect(eventTimeNow(0, 1_000_000)).toBe(1_000_000);
    expect(eventTimeNow(1_005_000, 1_000_000)).toBe(1_005_000);
  });
});
