import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BugName } from './bugs.ts';
import { bugHuntParams, fcParams } from './testing/fc-params.ts';
import { windowModel } from './testing/window-model.ts';
import { byStepThenWindow, runWindowScenario, windowScenarioArb, type WindowScenario } from './testing/window-scenario.ts';
import { WindowOperator, type WindowInput } from './window-operator.ts';

const bugs = (...names: BugName[]) => new Set<BugName>(names);
const paid = (t: number, region = 'eu-west', amount = 10): WindowInput => ({ event_time_ms: t, event_type: 'order_paid', region, amount });

/** The four properties of the acceptance criteria, each usable with planted bugs switched on. */
const properties = {
  'emitted windows equal the model (content, emission step, lateness, watermark)': (s: WindowScenario, b: ReadonlySet<BugName>) => {
    const run = runWindowScenario(s, b);
    const model = windowModel(s);
    expect(run.watermarks).toEqual(model.watermarks);
    expect(run.late).toEqual(model.late);
    expect([...run.emissions].sort(byStepThenWindow)).toEqual(model.emissions);
  },
  'each window is emitted at most once': (s: WindowScenario, b: ReadonlySet<BugName>) => {
    const keys = runWindowScenario(s, b).emissions.map((e) => `${e.partition}|${e.window_start_ms}|${e.region}`);
    expect(keys.length).toBe(new Set(keys).size);
  },
  'no window is emitted before the watermark passes its end': (s: WindowScenario, b: ReadonlySet<BugName>) => {
    const model = windowModel(s);
    for (const e of runWindowScenario(s, b).emissions) {
      if (e.step === s.steps.length) continue; // the final flush closes everything
      const w = model.watermarks[e.step];
      expect(w, `watermark at step ${e.step}`).not.toBeNull();
      expect(e.window_end_ms).toBeLessThanOrEqual(w!);
    }
  },
  'every event is counted in exactly one of {a window, late}': (s: WindowScenario, b: ReadonlySet<BugName>) => {
    const run = runWindowScenario(s, b);
    const expected = new Map<string, number>();
    s.steps.forEach((step, i) => {
      if (step.kind !== 'event' || run.late[i]) return;
      const start = Math.floor(step.event.event_time_ms / s.windowSizeMs) * s.windowSizeMs;
      const key = `${step.partition}|${start}|${step.event.region}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    });
    const counted = new Map<string, number>();
    for (const e of run.emissions) {
      const key = `${e.partition}|${e.window_start_ms}|${e.region}`;
      counted.set(key, (counted.get(key) ?? 0) + e.event_count);
    }
    expect(counted).toEqual(expected);
  },
};
type PropertyName = keyof typeof properties;
const property = (name: PropertyName, b: ReadonlySet<BugName>) => fc.property(windowScenarioArb(), (s) => properties[name](s, b));

describe('WindowOperator properties', () => {
  for (const name of Object.keys(properties) as PropertyName[]) {
    it(name, () => fc.assert(property(name, bugs()), fcParams(300)));
  }

  it('state is bounded: nothing stays open behind a partition\'s closed point', () => {
    fc.assert(
      fc.property(windowScenarioArb(), (s) => {
        const op = new WindowOperator(s);
        let now = 0;
        for (const step of s.steps) {
          now += step.dtMs;
          if (step.kind === 'event') op.process(step.event, step.partition, now);
          else op.tick(now);
          for (const p of op.snapshot().partitions) {
            for (const w of p.windows) expect(p.closedThroughMs === null || w.window_start_ms + s.windowSizeMs > p.closedThroughMs).toBe(true);
          }
        }
      }),
      fcParams(100),
    );
  });
});

describe('WindowOperator examples', () => {
  it('closes a window once the watermark (max - out-of-orderness) passes its end, then reports stragglers late', () => {
    const op = new WindowOperator({ windowSizeMs: 60_000, allowedOutOfOrdernessMs: 5_000 });
    op.assign([0], 0);
    expect(op.process(paid(1_000, 'eu-west', 12.5), 0, 1).emitted).toEqual([]);
    expect(op.process(paid(64_999), 0, 2).emitted).toEqual([]); // W = 59 999 < 60 000
    const { emitted } = op.process(paid(65_000), 0, 3); // W = 60 000
    expect(emitted).toEqual([{ partition: 0, window_start_ms: 0, window_end_ms: 60_000, region: 'eu-west', event_count: 1, order_count: 0, revenue_cents: 1250 }]);
    expect(op.process(paid(59_999), 0, 4)).toEqual({ emitted: [], late: true });
    expect(op.process(paid(60_000), 0, 5)).toEqual({ emitted: [], late: false });
  });

  it('a partition without events holds the watermark back until it has been idle for idleTimeoutMs', () => {
    const op = new WindowOperator({ windowSizeMs: 10, allowedOutOfOrdernessMs: 0, idleTimeoutMs: 100 });
    op.assign([0, 1], 0);
    expect(op.process(paid(5), 0, 10).emitted).toEqual([]);
    expect(op.process(paid(50), 0, 20).emitted).toEqual([]);
    expect(op.watermark()).toBeNull();
    expect(op.tick(99)).toEqual([]);
    expect(op.tick(100).map((w) => w.window_start_ms)).toEqual([0]); // partition 1 idle since 0
    expect(op.watermark()).toBe(50);
  });

  it('a slow partition holds the watermark back (min across partitions, not the global max)', () => {
    const op = new WindowOperator({ windowSizeMs: 10, allowedOutOfOrdernessMs: 0 });
    op.assign([0, 1], 0);
    op.process(paid(5), 0, 1);
    op.process(paid(3), 1, 2);
    expect(op.process(paid(100), 0, 3).emitted).toEqual([]); // W = min(100, 3) = 3
    expect(op.process(paid(7), 1, 4)).toEqual({ emitted: [], late: false }); // on time on its own partition
    expect(op.process(paid(30), 1, 5).emitted.map((w) => [w.partition, w.window_start_ms])).toEqual([[0, 0], [1, 0]]);
  });

  it('hands a partition over on rebalance without losing or re-emitting a window', () => {
    const a = new WindowOperator({ windowSizeMs: 10, allowedOutOfOrdernessMs: 0 });
    a.assign([0], 0);
    a.process(paid(5), 0, 1);
    a.process(paid(12), 0, 2); // closes [0,10)
    const states = a.revoke([0]);
    expect(states).toEqual([{ partition: 0, maxEventTimeMs: 12, closedThroughMs: 12, windows: [{ window_start_ms: 10, region: 'eu-west', event_count: 1, order_count: 0, revenue_cents: 1000 }] }]);
    const b = new WindowOperator({ windowSizeMs: 10, allowedOutOfOrdernessMs: 0 });
    b.assign([0], 3, states);
    expect(b.process(paid(9), 0, 4).late).toBe(true);
    expect(b.process(paid(25), 0, 5).emitted.map((w) => [w.window_start_ms, w.event_count])).toEqual([[10, 1]]);
  });

  it("'processing-time-windows' waits for the watermark while the clock is steady, and emits half-full windows twice after a jump", () => {
    const steady = new WindowOperator({ windowSizeMs: 60_000, allowedOutOfOrdernessMs: 30_000, bugs: bugs('processing-time-windows') });
    steady.assign([0], 0);
    steady.process(paid(1_000), 0, 1_000);
    expect(steady.process(paid(50_000), 0, 10_000).emitted).toEqual([]);
    expect(steady.process(paid(95_000), 0, 20_000).emitted.map((w) => [w.window_start_ms, w.event_count])).toEqual([[0, 2]]);

    const jumped = new WindowOperator({ windowSizeMs: 60_000, allowedOutOfOrdernessMs: 30_000, bugs: bugs('processing-time-windows') });
    jumped.assign([0], 0);
    jumped.process(paid(1_000), 0, 1_000);
    // The wall clock jumps 10 minutes: the window is emitted with one event of two, then again with the other.
    expect(jumped.tick(601_000).map((w) => [w.window_start_ms, w.event_count])).toEqual([[0, 1]]);
    expect(jumped.process(paid(50_000), 0, 601_100).emitted).toEqual([]);
    expect(jumped.process(paid(95_000), 0, 602_000).emitted.map((w) => [w.window_start_ms, w.event_count])).toEqual([[0, 1]]);
  });

  it('rejects bad options with CONFIG_INVALID', () => {
    expect(() => new WindowOperator({ windowSizeMs: 0 })).toThrow(/'windowSizeMs' must be an integer >= 1/);
    expect(() => new WindowOperator({ allowedOutOfOrdernessMs: -1 })).toThrow(/allowedOutOfOrdernessMs/);
    const op = new WindowOperator();
    op.assign([0], 0);
    expect(() => op.assign([0], 1)).toThrow(/already assigned/);
  });
});

describe('WindowOperator planted bugs are caught', () => {
  const cases: Array<[BugName, PropertyName]> = [
    ['ignore-watermark', 'no window is emitted before the watermark passes its end'],
    ['ignore-watermark', 'each window is emitted at most once'],
    ['ignore-watermark', 'emitted windows equal the model (content, emission step, lateness, watermark)'],
    ['drop-late-silently', 'every event is counted in exactly one of {a window, late}'],
    ['processing-time-windows', 'no window is emitted before the watermark passes its end'],
    ['processing-time-windows', 'each window is emitted at most once'],
  ];
  for (const [bug, name] of cases) {
    it(`${bug} fails "${name}" and shrinks to a few steps`, () => {
      const details = fc.check(property(name, bugs(bug)), bugHuntParams());
      expect(details.failed).toBe(true);
      expect(details.counterexample![0].steps.length).toBeLessThanOrEqual(4);
      expect(fc.defaultReportMessage(details)).toMatch(/seed/);
    });
  }
});
