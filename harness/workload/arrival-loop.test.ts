import { describe, expect, it } from 'vitest';
import { ArrivalLoop, type ArrivalLoopOptions } from './arrival-loop.ts';
import { compileRateProfile, type RateProfile } from './rate-profile.ts';
import type { WorkloadClock } from './workload-clock.ts';

/** A clock whose sleeps take exactly as long as asked; `onTime` runs at every wake-up. */
function fakeClock(onTime: (now: number) => void = () => undefined): WorkloadClock & { now: number; stall(ms: number): void } {
  let stallNext = 0;
  const clock = {
    now: 0,
    nowMs: () => clock.now,
    sleep: async (ms: number) => {
      clock.now += ms + stallNext;
      stallNext = 0;
      onTime(clock.now);
    },
    stall: (ms: number) => {
      stallNext = ms;
    },
  };
  return clock;
}

interface Run {
  dispatches: { at: number; items: number[] }[];
  pulled: number;
  release?: (count: number) => void;
}

function loopFor(profile: RateProfile, overrides: Partial<ArrivalLoopOptions<number>>, source = Infinity) {
  const run: Run = { dispatches: [], pulled: 0 };
  const clock = (overrides.clock as ReturnType<typeof fakeClock> | undefined) ?? fakeClock();
  const loop = new ArrivalLoop<number>({
    schedule: compileRateProfile(profile),
    clock,
    maxInFlight: 1_000_000,
    tickMs: 1,
    pull: (n) => {
      const items = Array.from({ length: Math.max(0, Math.min(n, source - run.pulled)) }, (_, i) => run.pulled + i);
      run.pulled += items.length;
      return items;
    },
    dispatch: (items, release) => {
      run.dispatches.push({ at: clock.nowMs(), items });
      run.release = release;
      release(items.length); // settles at once unless a test says otherwise
    },
    ...overrides,
  });
  return { loop, run, clock };
}

const sendTimes = (run: Run) => run.dispatches.flatMap((d) => d.items.map(() => d.at));

describe('ArrivalLoop', () => {
  it('constant rate: one send per arrival time, exactly as many as the duration holds', async () => {
    const { loop, run } = loopFor({ kind: 'constant', rate: 1000 }, { durationMs: 20 });
    expect(await loop.run()).toBe('duration');
    expect(sendTimes(run)).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(loop.stats()).toMatchObject({ started: 20, missed: 0, arrivals: 20, inFlight: 0 });
  });

  it('arrivals: each send starts at its recorded time (ties together), and the run ends after the last', async () => {
    const atMs = [0, 3, 3, 10, 25, 25, 26];
    const { loop, run } = loopFor({ kind: 'arrivals', atMs }, {});
    expect(await loop.run()).toBe('duration');
    expect(sendTimes(run)).toEqual(atMs);
    expect(loop.stats()).toMatchObject({ started: 7, missed: 0 });
  });

  it('groups the arrivals due within one tick into one dispatch (a batch)', async () => {
    const { loop, run } = loopFor({ kind: 'constant', rate: 1000 }, { durationMs: 20, tickMs: 5 });
    await loop.run();
    expect(run.dispatches.map((d) => [d.at, d.items.length])).toEqual([[0, 1], [5, 5], [10, 5], [15, 5], [20, 4]]);
    expect(run.dispatches.flatMap((d) => d.items)).toEqual(Array.from({ length: 20 }, (_, k) => k));
  });

  it('ramping: sends start at the profile\'s arrival times, and the run ends with the last stage', async () => {
    const profile: RateProfile = { kind: 'ramping', stages: [{ durationMs: 1000, target: 1000 }] };
    const { loop, run } = loopFor(profile, { tickMs: 0.001 });
    expect(await loop.run()).toBe('duration');
    const times = sendTimes(run);
    expect(times).toHaveLength(500); // ∫ 0..1 s of 0→1000/s; the 501st would be at t = 1000 ms, the end
    times.forEach((t, k) => expect(t).toBeCloseTo(Math.sqrt(2000 * k), 6));
  });

  it('bursts: the base rate, then the burst rate, every period', async () => {
    const profile: RateProfile = { kind: 'bursts', baseRate: 10, burstRate: 100, periodMs: 1000, burstMs: 100 };
    const { loop, run } = loopFor(profile, { durationMs: 3000, tickMs: 0.001 });
    await loop.run();
    const times = sendTimes(run);
    expect(times).toHaveLength(3 * (9 + 10));
    const firstPeriod = times.filter((t) => t < 1000);
    expect(firstPeriod.slice(0, 9).map((t) => Math.round(t))).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800]);
    expect(firstPeriod.slice(9).map((t) => Math.round(t))).toEqual([900, 910, 920, 930, 940, 950, 960, 970, 980, 990]);
  });

  it('counts an arrival that finds maxInFlight sends out as missed, without taking an item for it', async () => {
    let held = 0;
    let release: ((n: number) => void) | undefined;
    const clock = fakeClock((now) => {
      if (now === 50 && release) release(held); // the cluster answers everything at t = 50 ms
    });
    const { loop, run } = loopFor(
      { kind: 'constant', rate: 1000 },
      {
        clock,
        durationMs: 100,
        maxInFlight: 10,
        dispatch: (items, r) => {
          run.dispatches.push({ at: clock.nowMs(), items });
          release = r;
          held += items.length;
        },
      },
    );
    await loop.run();
    // 0..9 start, 10..49 are missed, 50..59 start after the release, 60..99 are missed.
    expect(sendTimes(run)).toEqual([...Array.from({ length: 10 }, (_, k) => k), ...Array.from({ length: 10 }, (_, k) => 50 + k)]);
    expect(loop.stats()).toMatchObject({ arrivals: 100, started: 20, missed: 80, inFlight: 10 });
    expect(run.pulled).toBe(20);
    expect(run.dispatches.flatMap((d) => d.items)).toEqual(Array.from({ length: 20 }, (_, k) => k));
  });

  it('catches up after a stalled event loop: late, not missed', async () => {
    const clock = fakeClock((now) => {
      if (now === 10) clock.stall(30);
    });
    const { loop, run } = loopFor({ kind: 'constant', rate: 1000 }, { clock, durationMs: 60 });
    await loop.run();
    expect(loop.stats()).toMatchObject({ started: 60, missed: 0 });
    expect(run.dispatches.find((d) => d.items.length > 1)).toEqual({ at: 41, items: Array.from({ length: 31 }, (_, k) => 11 + k) });
  });

  it('works a backlog off in slices of maxPerTick, each dispatched on its own', async () => {
    const clock = fakeClock((now) => {
      if (now === 10) clock.stall(30);
    });
    const { loop, run } = loopFor({ kind: 'constant', rate: 1000 }, { clock, durationMs: 60, maxPerTick: 10 });
    await loop.run();
    expect(loop.stats()).toMatchObject({ started: 60, missed: 0 });
    expect(run.dispatches.filter((d) => d.at === 41).map((d) => d.items.length)).toEqual([10, 10, 10, 1]);
  });

  it('ends when the count is reached or the source runs out', async () => {
    const counted = loopFor({ kind: 'constant', rate: 10_000 }, { count: 7, tickMs: 5 });
    expect(await counted.loop.run()).toBe('count');
    expect(counted.run.pulled).toBe(7);

    const short = loopFor({ kind: 'constant', rate: 10_000 }, { tickMs: 5 }, 12);
    expect(await short.loop.run()).toBe('source');
    expect(short.loop.stats()).toMatchObject({ started: 12, missed: 0 });
  });

  it('stops when asked', async () => {
    let ticks = 0;
    const { loop } = loopFor({ kind: 'constant', rate: 100 }, { stopRequested: () => ++ticks > 3 });
    expect(await loop.run()).toBe('stopped');
  });
});
